package api

import (
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/aftersale/aftersale"
	"github.com/aftersale/aftersale/auth"
)

func TestRequirePermission(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	tests := []struct {
		actor  aftersale.Actor
		perm   aftersale.Permission
		status int // 0: allowed
	}{
		{aftersale.Actor{}, "", 401},
		{aftersale.Actor{}, aftersale.ViewClaims, 401},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleInspector}, "", 0},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleInspector}, aftersale.Inspect, 0},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleInspector}, aftersale.ApproveExceptions, 403},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleManager}, aftersale.ManageAdmins, 403},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleAdmin}, aftersale.ManageAdmins, 0},
		{aftersale.Actor{UserID: 1, Role: aftersale.RoleDistributor, DistributorCode: "D"}, aftersale.WorkClaims, 403},
	}
	for _, tt := range tests {
		err := requirePermission(auth.WithActor(t.Context(), tt.actor), tt.perm)
		if tt.status == 0 {
			if err != nil {
				t.Errorf("%s %q: %v, want allowed", tt.actor.Role, tt.perm, err)
			}
			continue
		}
		var p *Problem
		if !errors.As(s.problem(err), &p) || p.Status != tt.status {
			t.Errorf("%s %q: %v, want %d", tt.actor.Role, tt.perm, err, tt.status)
		}
	}
}
