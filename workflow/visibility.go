package workflow

import (
	"context"
	"fmt"

	"github.com/aftersale/aftersale"
)

// UserFinder finds the users a claim's record names, so that the
// visibility rule (aftersale.Viewer) can show an outsider their roles
// instead of their names. The store's claim, evidence and parcel readers
// are ones.
type UserFinder interface {
	// UserByEmail is NotFound for an address no user has.
	UserByEmail(ctx context.Context, email string) (aftersale.User, error)
}

// viewerOf returns the viewer of actor, with the users of names looked up
// (none for the staff, who read the record as written). A name no user has
// any more is the support team's.
func viewerOf(ctx context.Context, users UserFinder, actor aftersale.Actor, names ...string) (aftersale.Viewer, error) {
	v := aftersale.Viewer{Actor: actor}
	if v.Staff() {
		return v, nil
	}
	v.Users = map[string]aftersale.User{}
	for _, email := range aftersale.NamesIn(names...) {
		u, err := users.UserByEmail(ctx, email)
		switch {
		case aftersale.KindOf(err) == aftersale.NotFound:
			continue
		case err != nil:
			return v, fmt.Errorf("who is %s: %w", email, err)
		}
		v.Users[email] = u
	}
	return v, nil
}

// claimNames are the names a claim records.
func claimNames(c aftersale.Claim) []string {
	names := []string{c.OpenedBy}
	for _, l := range c.Lines {
		if l.Exception != nil {
			names = append(names, l.Exception.By)
		}
	}
	return names
}

// shownClaim returns c as actor may see it (aftersale.Viewer.Claim).
func shownClaim(ctx context.Context, users UserFinder, actor aftersale.Actor, c aftersale.Claim) (aftersale.Claim, error) {
	v, err := viewerOf(ctx, users, actor, claimNames(c)...)
	if err != nil {
		return aftersale.Claim{}, err
	}
	return v.Claim(c), nil
}
