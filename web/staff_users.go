package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/workflow"
)

// usersPage lists the users, with a form to add one and, per user, forms
// to change the role and to disable or enable.
type usersPage struct {
	Page
	Users   []aftersale.User
	Roles   []option // the roles the reader may give
	Add     postedForm
	Problem string // translated: why a change was refused
}

// usersPage is the user administration (Deps.Users).
func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "users", "staff.users.title", aftersale.ManageUsers)
	if err != nil {
		return err
	}
	if done := r.URL.Query().Get("done"); done != "" {
		p.Notice = p.L.TOr("staff.users.done."+done, "")
	}
	up, err := s.usersData(r, p)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "staff_users.html", up)
}

func (s *Server) usersData(r *http.Request, p Page) (*usersPage, error) {
	us := s.Users
	if us == nil {
		return nil, &aftersale.Error{Kind: aftersale.NotFound}
	}
	list, err := us.List(r.Context(), p.Actor)
	if err != nil {
		return nil, err
	}
	up := &usersPage{Page: p, Users: list, Add: postedForm{Err: fieldErrors{}}}
	for _, role := range aftersale.Roles() {
		if role == aftersale.RoleAdmin && !p.Actor.Can(aftersale.ManageAdmins) {
			continue
		}
		up.Roles = append(up.Roles, option{Value: string(role), Label: p.L.T("staff.role." + string(role))})
	}
	return up, nil
}

// addUser adds a user with a first password.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staffPage(r, "users", "staff.users.title", aftersale.ManageUsers)
	if err != nil {
		return err
	}
	up, err := s.usersData(r, p)
	if err != nil {
		return err
	}
	in := workflow.NewUser{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: aftersale.Role(r.PostFormValue("role")), DistributorCode: r.PostFormValue("distributor_code"),
		Password: r.PostFormValue("password")}
	_, err = s.Users.Add(r.Context(), p.Actor, in)
	if err == nil {
		return redirect(w, r, "/staff/users?done=added")
	}
	var ae *aftersale.Error
	if !errors.As(err, &ae) || ae.Field == "" {
		return err
	}
	up.Add.Val = r.PostForm
	up.Add.Val.Del("password")
	up.Add.Err[ae.Field] = p.L.TOr("staff.users.err."+ae.Field, p.L.T("staff.err.invalid"))
	return s.render(w, r, userStatus(ae.Kind), "staff_users.html", up)
}

func userStatus(k aftersale.ErrorKind) int {
	switch k {
	case aftersale.Conflict:
		return http.StatusConflict
	case aftersale.Forbidden:
		return http.StatusForbidden
	}
	return http.StatusUnprocessableEntity
}

// setUserRole changes a user's role.
func (s *Server) setUserRole(w http.ResponseWriter, r *http.Request) error {
	return s.changeUser(w, r, "role", func(us *workflow.Users, actor aftersale.Actor, id int64) error {
		_, err := us.SetRole(r.Context(), actor, id, aftersale.Role(r.PostFormValue("role")), r.PostFormValue("distributor_code"))
		return err
	})
}

// setUserActive disables or enables a user.
func (s *Server) setUserActive(w http.ResponseWriter, r *http.Request) error {
	return s.changeUser(w, r, "active", func(us *workflow.Users, actor aftersale.Actor, id int64) error {
		_, err := us.SetActive(r.Context(), actor, id, r.PostFormValue("active") == "1")
		return err
	})
}

// changeUser runs a change of the user {id}; a refusal shows the list with
// the reason.
func (s *Server) changeUser(w http.ResponseWriter, r *http.Request, what string,
	change func(*workflow.Users, aftersale.Actor, int64) error) error {
	p, err := s.staffPage(r, "users", "staff.users.title", aftersale.ManageUsers)
	if err != nil {
		return err
	}
	us := s.Users
	if us == nil {
		return &aftersale.Error{Kind: aftersale.NotFound}
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return &aftersale.Error{Kind: aftersale.NotFound}
	}
	err = change(us, p.Actor, id)
	if err == nil {
		return redirect(w, r, "/staff/users?done="+what)
	}
	var ae *aftersale.Error
	if !errors.As(err, &ae) || ae.Kind == aftersale.NotFound || (ae.Kind == aftersale.Forbidden && ae.Field == "") {
		return err
	}
	up, rerr := s.usersData(r, p)
	if rerr != nil {
		return rerr
	}
	key := "staff.users.refused." + strings.ToLower(string(ae.Kind)) + "." + ae.Field
	up.Problem = p.L.TOr(key, p.L.T("staff.users.refused.generic"))
	return s.render(w, r, userStatus(ae.Kind), "staff_users.html", up)
}
