package workflow

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/date"
)

// SetupStore is what a new installation's first steps need of the store.
type SetupStore interface {
	HasUsers(ctx context.Context) (bool, error)
	// CreateFirstUser stores the user only while none exists; else a
	// Conflict error.
	CreateFirstUser(ctx context.Context, u aftersale.User, passwordHash string) (aftersale.User, error)
	CreateUser(ctx context.Context, u aftersale.User, passwordHash string) (aftersale.User, error)
}

// Sample is the sales a sample data set holds for a newcomer to try.
type Sample struct {
	Orders           int
	Order            string // a recent direct sale, signed for
	Email            string // its customer's e-mail
	Serial           string // a serial of it
	PurchasedOn      date.Date
	DistributorOrder string // a recent sale through an authorised distributor
	DistributorEmail string // its customer's e-mail
	Distributor      string // that distributor's code
}

// SampleLoader loads a sample data set into the registry.
type SampleLoader func(ctx context.Context) (Sample, error)

// Setup runs a new installation's first steps: the first administrator,
// and, if asked, sample data with a distributor's account to try.
type Setup struct {
	Store      SetupStore
	Hash       PasswordHasher
	LoadSample SampleLoader // nil: no sample data offered
	// SampleOrders is how many orders LoadSample loads, as the setup page
	// says before it is chosen.
	SampleOrders int

	// done remembers that users exist: they never all go (the last admin
	// cannot be disabled), so the start page stops asking the store.
	done atomic.Bool
}

// FirstAdmin is what the first administrator enters.
type FirstAdmin struct {
	Name, Email, Password string
	Sample                bool // load the sample data set too
}

// SetupResult is the installation's first administrator and what the
// sample holds, with the distributor's account (its password shown once).
type SetupResult struct {
	Admin               aftersale.User
	Sample              *Sample
	DistributorUser     string
	DistributorPassword string
}

// Needed reports whether the installation has no user yet.
func (s *Setup) Needed(ctx context.Context) (bool, error) {
	if s.done.Load() {
		return false, nil
	}
	has, err := s.Store.HasUsers(ctx)
	if err != nil {
		return false, fmt.Errorf("setup: %w", err)
	}
	if has {
		s.done.Store(true)
	}
	return !has, nil
}

// Run creates the first administrator, only while no user exists (anybody
// reaching a new installation first may; `aftersale user add` is the way
// on a server reachable by others), then loads the sample if asked and
// gives its distributor a user with a generated password.
func (s *Setup) Run(ctx context.Context, in FirstAdmin) (SetupResult, error) {
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		return SetupResult{}, &aftersale.Error{Kind: aftersale.Invalid, Field: "name", Message: "name: is required"}
	}
	hash, err := s.Hash(in.Password, in.Email)
	if err != nil {
		return SetupResult{}, err
	}
	admin, err := s.Store.CreateFirstUser(ctx, aftersale.User{Email: in.Email, Name: in.Name, Role: aftersale.RoleAdmin}, hash)
	if err != nil {
		return SetupResult{}, fmt.Errorf("setup: %w", err)
	}
	res := SetupResult{Admin: admin}
	if !in.Sample || s.LoadSample == nil {
		return res, nil
	}
	sample, err := s.LoadSample(ctx)
	if err != nil {
		return res, fmt.Errorf("setup: sample data: %w", err)
	}
	res.Sample = &sample
	if sample.Distributor == "" {
		return res, nil
	}
	password, err := newPassword()
	if err != nil {
		return res, fmt.Errorf("setup: %w", err)
	}
	user := "service@" + strings.ToLower(sample.Distributor) + ".example"
	dhash, err := s.Hash(password, user)
	if err != nil {
		return res, err
	}
	if _, err := s.Store.CreateUser(ctx, aftersale.User{Email: user, Name: sample.Distributor + " service",
		Role: aftersale.RoleDistributor, DistributorCode: sample.Distributor}, dhash); err != nil {
		return res, fmt.Errorf("setup: the distributor's user: %w", err)
	}
	res.DistributorUser, res.DistributorPassword = user, password
	return res, nil
}

// passwordAlphabet is what a generated password is written in: letters and
// digits without the ones read as each other (l, I, 1; O, o, 0), since
// the admin copies it from the screen for the distributor.
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// passwordLength characters of passwordAlphabet hold about 93 random bits.
const passwordLength = 16

// newPassword returns a random password of passwordAlphabet.
func newPassword() (string, error) {
	out := make([]byte, 0, passwordLength)
	buf := make([]byte, 2*passwordLength)
	// Bytes at or above the largest multiple of the alphabet's size are
	// dropped, so that every character is equally likely.
	limit := byte(256 - 256%len(passwordAlphabet))
	for len(out) < passwordLength {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("random password: %w", err)
		}
		for _, b := range buf {
			if b < limit && len(out) < passwordLength {
				out = append(out, passwordAlphabet[int(b)%len(passwordAlphabet)])
			}
		}
	}
	return string(out), nil
}
