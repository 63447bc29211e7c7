package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aftersale/aftersale/internal/fixture"
	"github.com/aftersale/aftersale/internal/testday"
	"github.com/aftersale/aftersale/store"
)

// runCLI runs the real program with args, stdin and environment.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errOut)
	if err != nil {
		errOut.WriteString("aftersale: " + oneLine(err.Error()) + "\n")
	}
	return out.String(), errOut.String(), exitCode(err)
}

const example = `{"request":"defect","category":"servo_motor","purchased_on":"2026-01-28",
         "delivered_on":"2026-01-31","reported_on":"2026-04-30","proof_of_purchase":true}`

func TestEligibilityCommand(t *testing.T) {
	out, errOut, code := runCLI(t, nil, example, "eligibility")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var d struct {
		Outcome  string   `json:"outcome"`
		Remedies []string `json:"remedies"`
		Clauses  []string `json:"clauses"`
		Warranty struct {
			EndsOn string `json:"ends_on"`
		} `json:"warranty"`
		RespondBy string `json:"respond_by"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	if d.Outcome != "eligible" || strings.Join(d.Remedies, ",") != "free_repair" || d.Warranty.EndsOn != "2026-04-30" ||
		d.RespondBy != "2026-05-03" || strings.Join(d.Clauses, ",") != "2,3.3,5.4,6.2" {
		t.Errorf("decision %+v", d)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("the decision is not one line of JSON: %q", out)
	}
}

func TestEligibilityCommandBadInput(t *testing.T) {
	tests := []struct {
		name, stdin, field string
	}{
		{"not JSON", `{"request":`, "not valid JSON"},
		{"a string boolean", `{"request":"defect","category":"battery","purchased_on":"2026-01-28","reported_on":"2026-02-02","proof_of_purchase":"false"}`, "proof_of_purchase:"},
		{"impossible date", `{"request":"defect","category":"battery","purchased_on":"2026-02-29","reported_on":"2026-03-02"}`, "purchased_on:"},
		{"unknown category", `{"request":"defect","category":"robot","purchased_on":"2026-01-28","reported_on":"2026-02-02"}`, "category:"},
		{"nothing", ``, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, tt.stdin, "eligibility")
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("standard output %q, want nothing", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.field) {
				t.Errorf("stderr %q: want one line naming %q", errOut, tt.field)
			}
		})
	}
}

func TestPolicyFlagAndEnvironment(t *testing.T) {
	second := filepath.Join("..", "..", "policy", "testdata", "two-versions.yaml")
	facts := `{"request":"return","category":"battery","purchased_on":"2027-01-10","reported_on":"2027-01-24","proof_of_purchase":true}`
	for name, c := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"built-in":    {nil, []string{"eligibility"}, `"outcome":"not_eligible"`},
		"flag":        {nil, []string{"--policy", second, "eligibility"}, `"outcome":"eligible"`},
		"environment": {map[string]string{"AFTERSALE_POLICY": second}, []string{"eligibility"}, `"outcome":"eligible"`},
	} {
		out, errOut, code := runCLI(t, c.env, facts, c.args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d, out %q, err %q; want %s", name, code, out, errOut, c.want)
		}
	}
	_, errOut, code := runCLI(t, nil, facts, "--policy", "/nonexistent.yaml", "eligibility")
	if code != 1 || !strings.Contains(errOut, "nonexistent.yaml") {
		t.Errorf("missing policy file: exit %d, %q", code, errOut)
	}
}

func TestPolicyCommands(t *testing.T) {
	out, _, code := runCLI(t, nil, "", "policy", "show")
	for _, want := range []string{"CLAUSE", "Servos & motors (servo_motor)", "3 months warranty", "Change-of-mind return", "7 days", "A2"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("policy show: exit %d, output lacks %q", code, want)
		}
	}
	out, _, code = runCLI(t, nil, "", "policy", "check", filepath.Join("..", "..", "policy", "testdata", "two-versions.yaml"))
	if code != 0 || !strings.Contains(out, "ok: 2026.1 from 2000-01-01") || !strings.Contains(out, "2027.1 from 2027-01-01") {
		t.Errorf("policy check (good): exit %d, %q", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	text := strings.Replace(string(mustRead(t, filepath.Join("..", "..", "policy", "default.yaml"))), `{days: 7, clause: "3.2"}`, `{days: -3, clause: "3.2"}`, 1)
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "", "policy", "check", bad)
	if code != 1 || out != "" || !strings.Contains(errOut, "bad.yaml:") || !strings.Contains(errOut, "versions[0].missing_parts.days: -3 is out of range") {
		t.Errorf("policy check (bad): exit %d, out %q, err %q", code, out, errOut)
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVersionHelpAndUsage(t *testing.T) {
	if out, _, code := runCLI(t, nil, "", "version"); code != 0 || !strings.HasPrefix(out, "aftersale ") {
		t.Errorf("version: %d %q", code, out)
	}
	for _, args := range [][]string{{"help"}, {}, {"--help"}} {
		if out, _, code := runCLI(t, nil, "", args...); code != 0 || !strings.Contains(out, "eligibility") {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	if out, _, code := runCLI(t, nil, "", "help", "serve"); code != 0 || !strings.Contains(out, "--addr") {
		t.Errorf("help serve: %d %q", code, out)
	}
	if _, errOut, code := runCLI(t, nil, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "frobnicate") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

// TestServe runs the server on a free port, asks it for a decision, and
// stops it the way SIGTERM does.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	env := map[string]string{"AFTERSALE_ADDR": "127.0.0.1:0", "AFTERSALE_DATA_DIR": t.TempDir()}
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "aftersale listening on ")
	if !ok || strings.HasSuffix(url, ":0") {
		t.Fatalf("serve printed %q, want the URL it listens on", line)
	}
	resp, err := http.Post(url+"/api/v1/eligibility", "application/json", strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"outcome":"eligible"`)) {
		t.Errorf("POST eligibility: %d %s", resp.StatusCode, body)
	}
	if resp, err := http.Get(url + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Errorf("healthz: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestWarrantyCommand(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(t.Context(), filepath.Join(dir, "aftersale.db"))
	if err != nil {
		t.Fatal(err)
	}
	fixture.Seed(t, db)
	db.Close()
	env := map[string]string{"AFTERSALE_DATA_DIR": dir}

	// SV-1 was delivered 81 days before the tests' day: its 3 months run
	// from then. The program judges it on the machine's day, which is not
	// the tests' day: its cover period does not depend on that, whether it
	// is covered "today" does, and is not checked.
	starts := testday.Day(-81)
	cover := starts.String() + " to " + starts.AddMonths(3).String()
	out, errOut, code := runCLI(t, env, "", "warranty", "SV-1")
	for _, want := range []string{"SERVO-MG Metal-gear servo (in kit KIT-ARM)", "Category", "servo_motor", cover, "A fault today"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("warranty SV-1: exit %d, %q lacks %q (%s)", code, out, want, errOut)
		}
	}
	out, _, code = runCLI(t, env, "", "warranty", "--order", "A-1", "--json")
	var doc struct {
		Items []struct {
			SKU string `json:"sku"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Items) != 5 {
		t.Errorf("warranty --order A-1 --json: exit %d, %v, %d items", code, err, len(doc.Items))
	}
	for _, args := range [][]string{{"warranty", "NOPE"}, {"warranty"}, {"warranty", "SV-1", "--order", "A-1"}} {
		if out, errOut, code := runCLI(t, env, "", args...); code != 2 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	// Eligibility takes the servo's product and sale from the registry.
	out, errOut, code = runCLI(t, env, `{"request":"defect","serial":"SV-1","reported_on":"`+testday.Today().String()+`"}`, "eligibility")
	if code != 0 || !strings.Contains(out, `"starts_on":"`+starts.String()+`"`) {
		t.Errorf("eligibility by serial: exit %d, %q %q", code, out, errOut)
	}
}
