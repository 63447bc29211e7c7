package aftersale_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/aftersale/aftersale"
)

var (
	agentActor    = aftersale.Actor{UserID: 1, Email: "agent@shop.test", Role: aftersale.RoleAgent}
	inspector     = aftersale.Actor{UserID: 2, Email: "insp@shop.test", Role: aftersale.RoleInspector}
	euActor       = aftersale.Actor{UserID: 3, Email: "eu@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"}
	customerActor = aftersale.Actor{Role: aftersale.RoleCustomer, ClaimNumber: "RMA-2026-000001", Email: "ann@example.com", CustomerEmail: "ann@example.com"}
	people        = map[string]aftersale.User{
		"agent@shop.test": {Email: "agent@shop.test", Role: aftersale.RoleAgent},
		"boss@shop.test":  {Email: "boss@shop.test", Role: aftersale.RoleManager},
		"root@shop.test":  {Email: "root@shop.test", Role: aftersale.RoleAdmin},
		"eu@dist.test":    {Email: "eu@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"},
		"eu-2@dist.test":  {Email: "eu-2@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-EU"},
		"asia@dist.test":  {Email: "asia@dist.test", Role: aftersale.RoleDistributor, DistributorCode: "DIST-ASIA"},
		"insp@shop.test":  {Email: "insp@shop.test", Role: aftersale.RoleInspector},
		"ann@example.com": {Email: "ann@example.com", Role: aftersale.RoleAgent}, // a namesake: "customer ..." is never a user's
	}
)

func TestAudienceOf(t *testing.T) {
	for _, tt := range []struct {
		actor aftersale.Actor
		want  aftersale.Audience
	}{
		{agentActor, aftersale.AudienceStaff},
		{inspector, aftersale.AudienceStaff},
		{aftersale.Actor{UserID: 4, Role: aftersale.RoleManager}, aftersale.AudienceStaff},
		{aftersale.Actor{UserID: 5, Role: aftersale.RoleAdmin}, aftersale.AudienceStaff},
		{euActor, aftersale.AudienceDistributor},
		{customerActor, aftersale.AudienceCustomer},
		{aftersale.Actor{}, aftersale.AudienceCustomer},                        // anonymous: the narrowest
		{aftersale.Actor{UserID: 6, Role: "boss"}, aftersale.AudienceCustomer}, // an unknown role, too
	} {
		if got := aftersale.AudienceOf(tt.actor); got != tt.want {
			t.Errorf("AudienceOf(%+v) = %s, want %s", tt.actor, got, tt.want)
		}
	}
}

// TestViewerName: every name of the record, by audience.
func TestViewerName(t *testing.T) {
	for _, tt := range []struct {
		name                      string
		staff, distributor, buyer string
	}{
		{"agent@shop.test", "agent@shop.test", "Support team", "Support team"},
		{`agent@shop.test (token "erp")`, `agent@shop.test (token "erp")`, "Support team", "Support team"},
		{"insp@shop.test", "insp@shop.test", "Support team", "Support team"},
		{`Boss@Shop.test (token "t")`, `Boss@Shop.test (token "t")`, "Manager", "Manager"},
		{"root@shop.test", "root@shop.test", "Manager", "Manager"},
		{"left@shop.test", "left@shop.test", "Support team", "Support team"}, // no user any more
		{"eu@dist.test", "eu@dist.test", "eu@dist.test", "Distributor"},
		{`eu-2@dist.test (token "sync")`, `eu-2@dist.test (token "sync")`, `eu-2@dist.test (token "sync")`, "Distributor"},
		{"asia@dist.test", "asia@dist.test", "Distributor", "Distributor"},
		{"customer ann@example.com", "customer ann@example.com", "customer ann@example.com", "customer ann@example.com"},
		{"customer of RMA-2026-000001", "customer of RMA-2026-000001", "customer of RMA-2026-000001", "customer of RMA-2026-000001"},
		{"", "", "", ""},
	} {
		for _, v := range []struct {
			actor aftersale.Actor
			want  string
		}{{agentActor, tt.staff}, {inspector, tt.staff}, {euActor, tt.distributor}, {customerActor, tt.buyer}} {
			if got := (aftersale.Viewer{Actor: v.actor, Users: people}).Name(tt.name); got != v.want {
				t.Errorf("%s reads %q as %q, want %q", aftersale.AudienceOf(v.actor), tt.name, got, v.want)
			}
		}
	}
}

func TestNoteShown(t *testing.T) {
	outsiders := map[aftersale.Action]bool{
		aftersale.ActionRequestInfo: true, aftersale.ActionApprove: true, aftersale.ActionReject: true,
		aftersale.ActionRefer: true, aftersale.ActionSendQuote: true, aftersale.ActionProvideInfo: true,
		aftersale.ActionAcceptQuote: true, aftersale.ActionDeclineQuote: true,
	}
	for _, tr := range aftersale.Transitions() {
		for _, aud := range []aftersale.Audience{aftersale.AudienceStaff, aftersale.AudienceDistributor, aftersale.AudienceCustomer} {
			want := aud == aftersale.AudienceStaff || outsiders[tr.Action]
			if got := aftersale.NoteShown(tr.Action, aud); got != want {
				t.Errorf("NoteShown(%s, %s) = %v, want %v", tr.Action, aud, got, want)
			}
		}
	}
}

// TestViewerRecord: the claim, its history, thread, files and parcels as
// each audience reads them.
func TestViewerRecord(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	claim := aftersale.Claim{Number: "RMA-2026-000001", OpenedBy: `agent@shop.test (token "erp")`, Lines: []aftersale.ClaimLine{
		{Line: 1, Exception: &aftersale.Exception{By: "boss@shop.test", Reason: "loyal customer", At: at, Remedy: "refund", Outcome: "not_eligible", Clauses: []string{"3.1"}}},
		{Line: 2}}}
	events := []aftersale.Event{
		{Actor: "agent@shop.test", Kind: "start_review", Detail: "looks like a reseller"},
		{Actor: "agent@shop.test", Kind: "note", Detail: "internal note 1"},
		{Actor: "boss@shop.test", Kind: "approve", Detail: "We refund you."},
		{Actor: "boss@shop.test", Kind: "exception", Detail: "line 1: refund granted against not_eligible (clauses 3.1): loyal customer",
			Data: map[string]string{"line": "1", "remedy": "refund", "reason": "loyal customer"}},
		{Actor: "boss@shop.test", Kind: "shipment", Detail: "inbound parcel 1: DHL R1, shipping paid by seller (override of the decision: goodwill)",
			Data: map[string]string{"paid_by": "seller", "override": "goodwill"}},
		{Actor: "boss@shop.test", Kind: "resolve", Detail: "VIP, needs it now"},
		{Actor: "boss@shop.test", Kind: "return_waived", Detail: "VIP, needs it now"},
		{Actor: "customer ann@example.com", Kind: "message", Detail: "message 2: thanks"},
	}
	outsider := []aftersale.Event{
		{Actor: "Support team", Kind: "start_review"},
		{Actor: "Manager", Kind: "approve", Detail: "We refund you."},
		{Actor: "Manager", Kind: "exception", Detail: aftersale.ShownException, Data: map[string]string{"line": "1", "remedy": "refund"}},
		{Actor: "Manager", Kind: "shipment", Detail: "inbound parcel 1: DHL R1, shipping paid by seller", Data: map[string]string{"paid_by": "seller"}},
		{Actor: "Manager", Kind: "resolve"},
		{Actor: "Manager", Kind: "return_waived", Detail: aftersale.ShownReturnWaived},
		{Actor: "customer ann@example.com", Kind: "message", Detail: "message 2: thanks"},
	}
	msgs := []aftersale.Message{{ID: 1, Author: "agent@shop.test", Body: "psst", Internal: true}, {ID: 2, Author: "eu@dist.test", Body: "hello"}}
	ships := []aftersale.Shipment{{ID: 1, CreatedBy: "boss@shop.test", PaidBy: "seller", OverrideReason: "goodwill"}}
	for _, tt := range []struct {
		actor      aftersale.Actor
		events     []aftersale.Event
		msgs       []aftersale.Message
		exception  aftersale.Exception
		openedBy   string
		shipment   aftersale.Shipment
		evidenceBy string
	}{
		{agentActor, events, msgs, *claim.Lines[0].Exception, claim.OpenedBy, ships[0], "eu@dist.test"},
		{euActor, outsider, []aftersale.Message{{ID: 2, Author: "eu@dist.test", Body: "hello"}},
			aftersale.Exception{By: "Manager", At: at, Remedy: "refund", Outcome: "not_eligible", Clauses: []string{"3.1"}},
			"Support team", aftersale.Shipment{ID: 1, CreatedBy: "Manager", PaidBy: "seller"}, "eu@dist.test"},
		{customerActor, outsider, []aftersale.Message{{ID: 2, Author: "Distributor", Body: "hello"}},
			aftersale.Exception{By: "Manager", At: at, Remedy: "refund", Outcome: "not_eligible", Clauses: []string{"3.1"}},
			"Support team", aftersale.Shipment{ID: 1, CreatedBy: "Manager", PaidBy: "seller"}, "Distributor"},
	} {
		aud := aftersale.AudienceOf(tt.actor)
		v := aftersale.Viewer{Actor: tt.actor, Users: people}
		if got := v.Events(events); !reflect.DeepEqual(got, tt.events) {
			t.Errorf("%s: events\n%+v\nwant\n%+v", aud, got, tt.events)
		}
		if got := v.Messages(msgs); !reflect.DeepEqual(got, tt.msgs) {
			t.Errorf("%s: messages %+v, want %+v", aud, got, tt.msgs)
		}
		c := v.Claim(claim)
		if !reflect.DeepEqual(*c.Lines[0].Exception, tt.exception) || c.OpenedBy != tt.openedBy || c.Lines[1].Exception != nil {
			t.Errorf("%s: claim opened by %q, exception %+v, want %q, %+v", aud, c.OpenedBy, *c.Lines[0].Exception, tt.openedBy, tt.exception)
		}
		if got := v.Shipments(ships); got[0] != tt.shipment {
			t.Errorf("%s: shipment %+v, want %+v", aud, got[0], tt.shipment)
		}
		if got := v.Evidence([]aftersale.Evidence{{UploadedBy: "eu@dist.test"}}); got[0].UploadedBy != tt.evidenceBy {
			t.Errorf("%s: evidence by %q, want %q", aud, got[0].UploadedBy, tt.evidenceBy)
		}
		if got := v.Refunds([]aftersale.Refund{{By: "boss@shop.test"}}); aud != aftersale.AudienceStaff && got[0].By != "Manager" {
			t.Errorf("%s: refund by %q", aud, got[0].By)
		}
		if got := v.ReplacementUnits([]aftersale.ReplacementUnit{{CreatedBy: "agent@shop.test"}}); aud != aftersale.AudienceStaff && got[0].CreatedBy != "Support team" {
			t.Errorf("%s: unit by %q", aud, got[0].CreatedBy)
		}
	}
	// The record itself is left as it was.
	if claim.Lines[0].Exception.Reason != "loyal customer" || events[3].Data["reason"] != "loyal customer" || ships[0].OverrideReason != "goodwill" {
		t.Error("the viewer changed the record it was given")
	}
}
