package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestImportOverHTTP: a manager imports the registry through the API, whole
// or not at all; an agent may not.
func TestImportOverHTTP(t *testing.T) {
	env := map[string]string{"AFTERSALE_ADDR": "127.0.0.1:0", "AFTERSALE_DATA_DIR": t.TempDir()}
	tokens := map[string]string{}
	for _, role := range []string{"manager", "agent"} {
		mustRun(t, env, "correct horse battery\n", "user", "add", "--email", role+"@example.com", "--name", role, "--role", role, "--password-stdin")
		tokens[role] = strings.TrimSpace(mustRun(t, env, "", "token", "create", "--user", role+"@example.com", "--name", "t"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	url := strings.TrimPrefix(strings.TrimSpace(line), "aftersale listening on ")

	post := func(who, path, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[who])
		label := "text/csv" // the label must agree with the format
		if strings.Contains(path, "format=jsonl") {
			label = "application/x-ndjson"
		}
		req.Header.Set("Content-Type", label)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	good := "sku,name,category\nSV-1,Servo,servo_motor\nEM-1,Board,electronic_module\n"
	bad := "sku,name,category\nSV-2,Servo,servo_motor\nXX-1,Thing,robots\n"
	tests := []struct {
		name, who, path, body string
		status                int
		want                  string
	}{
		{"an agent may not import", "agent", "/api/v1/imports/products", good, 403, `"status":403`},
		{"a manager imports", "manager", "/api/v1/imports/products", good, 200, `{"read":2,"applied":2,"rejected":0}`},
		{"again: nothing changes", "manager", "/api/v1/imports/products", good, 200, `"applied":2`},
		{"a bad row refuses the file", "manager", "/api/v1/imports/products?name=p.csv", bad, 422, `"field":"category","message":"\"robots\" is not a category`},
		{"the line is named", "manager", "/api/v1/imports/products?name=p.csv", bad, 422, `"location":"p.csv:3"`},
		{"skip_invalid keeps the good rows", "manager", "/api/v1/imports/products?skip_invalid=true", bad, 200, `"read":2,"applied":1,"rejected":1,"refused":[{"line":3,"reason":`},
		{"unknown kind", "manager", "/api/v1/imports/planets", good, 422, `"field":"kind"`},
		{"unknown format", "manager", "/api/v1/imports/products?format=xml", good, 422, `"field":"format"`},
		// A header of a million columns: refused at the 101st, in a short answer.
		{"too many columns", "manager", "/api/v1/imports/products?name=p.csv", "sku,name,category" + strings.Repeat(",c", 1_000_000) + "\n", 422,
			`"message":"more than 100 columns: a row may have at most 100","location":"p.csv:1"`},
		{"a line too long", "manager", "/api/v1/imports/products?format=jsonl&name=p.jsonl",
			`{"sku":"SV-3","name":"` + strings.Repeat("x", 2<<20) + `","category":"servo_motor"}` + "\n", 422,
			`"message":"longer than 1 MiB: a row may be at most 1048576 bytes long","location":"p.jsonl:1"`},
		{"150 bad rows: 100 listed, the rest counted", "manager", "/api/v1/imports/products?name=p.csv", "sku,name,category\n" + strings.Repeat("XX-1,Thing,robots\n", 150), 422,
			`"detail":"p.csv: 100 bad row(s) listed and 50 more, nothing imported"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(tt.who, tt.path, tt.body)
			if len(body) > 64<<10 {
				t.Errorf("the answer is %d bytes long", len(body))
			}
			if status != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("%d %s; want %d with %s", status, body, tt.status, tt.want)
			}
		})
	}
}
