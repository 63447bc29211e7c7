package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/notify"
	"github.com/aftersale/aftersale/policy"
	"github.com/aftersale/aftersale/store"
	"github.com/aftersale/aftersale/web"
	"github.com/aftersale/aftersale/worker"
	"github.com/aftersale/aftersale/workflow"
)

type serveCmd struct {
	Addr string `help:"Address to listen on." env:"AFTERSALE_ADDR" default:"127.0.0.1:8080"`
	// E-mail to customers: through SMTP when SMTPURL is set, else logged.
	SMTPURL   string `name:"smtp-url" help:"Send e-mail through this server: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465. Empty: messages are logged, not sent." env:"AFTERSALE_SMTP_URL"`
	MailFrom  string `name:"mail-from" help:"The sender of e-mail to customers." env:"AFTERSALE_MAIL_FROM" default:"After-sales service <rma@localhost>"`
	PublicURL string `name:"public-url" help:"Where customers reach this server, for the links in their e-mails (https://rma.example.com); also the server the OpenAPI document names." env:"AFTERSALE_PUBLIC_URL"`
	// The return address is printed on the customer's RMA slip.
	ReturnAddress string `name:"return-address" help:"Where customers send goods back, printed on the RMA slip." env:"AFTERSALE_RETURN_ADDRESS" default:"After-sales service (set --return-address)"`
	// What those who are not signed in may do through the portal (0: no limit).
	ClaimsPerAddress int   `name:"anonymous-claims-per-address" help:"Claims a client address may open without signing in: this many at once, then this many an hour (0: no limit)." env:"AFTERSALE_ANONYMOUS_CLAIMS_PER_ADDRESS" default:"5"`
	ClaimsPerEmail   int   `name:"anonymous-claims-per-email" help:"Claims opened without signing in for one customer e-mail address: this many at once, then this many a day (0: no limit)." env:"AFTERSALE_ANONYMOUS_CLAIMS_PER_EMAIL" default:"3"`
	UploadPerAddress int64 `name:"anonymous-upload-per-address" help:"MiB of files a client address may send a day without signing in (0: no limit)." env:"AFTERSALE_ANONYMOUS_UPLOAD_PER_ADDRESS" default:"600"`
	UploadAnonymous  int64 `name:"anonymous-upload-per-day" help:"MiB of files all those not signed in may send together a day (0: no limit)." env:"AFTERSALE_ANONYMOUS_UPLOAD_PER_DAY" default:"20480"`
	ClaimUpload      int64 `name:"claim-upload-limit" help:"MiB the files of one claim may total, whoever sends them." env:"AFTERSALE_CLAIM_UPLOAD_LIMIT" default:"300"`
	// A claim opened without signing in for a purchase made elsewhere waits
	// this long for its customer to confirm the e-mail address.
	ConfirmWithin time.Duration `name:"anonymous-confirm-within" help:"How long a claim opened without signing in for a purchase made elsewhere waits for its customer to confirm the e-mail address through the link in its first e-mail; unconfirmed, it expires and never reaches the queue." env:"AFTERSALE_ANONYMOUS_CONFIRM_WITHIN" default:"168h"`
}

// anonymous turns the --anonymous-* flags into the portal's limits.
func (c serveCmd) anonymous() web.AnonymousLimits {
	var l web.AnonymousLimits
	if c.ClaimsPerAddress > 0 {
		l.ClaimsPerAddress = auth.NewLimiter(c.ClaimsPerAddress, time.Hour/time.Duration(c.ClaimsPerAddress), time.Now)
	}
	if c.ClaimsPerEmail > 0 {
		l.ClaimsPerEmail = auth.NewLimiter(c.ClaimsPerEmail, 24*time.Hour/time.Duration(c.ClaimsPerEmail), time.Now)
	}
	if c.UploadPerAddress > 0 || c.UploadAnonymous > 0 {
		l.Uploads = auth.NewDailyBytes(c.UploadPerAddress<<20, c.UploadAnonymous<<20, time.Now)
	}
	return l
}

// shutdownGrace is how long requests in flight may take to finish on SIGTERM.
const shutdownGrace = 10 * time.Second

func (c serveCmd) Run(a *app) error {
	p, err := a.loadPolicy()
	if err != nil {
		return err
	}
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	stopMail, err := c.startMail(a, db)
	if err != nil {
		return err
	}
	defer stopMail()
	handler, err := c.handler(a, p, db)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // evidence uploads move their own deadline further
		IdleTimeout:       2 * time.Minute,
	}
	fmt.Fprintf(a.stdout, "aftersale listening on http://%s\n", ln.Addr())
	a.log.Info("serving", "addr", ln.Addr().String(), "policy", p.Source, "database", db.Engine(), "version", buildVersion())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-a.ctx.Done():
	}
	a.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("serve: shut down: %w", err)
	}
	stopMail() // the message in hand is recorded before the worker returns
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// handler wires the use cases to the API and wraps it: panics become a
// logged 500, browsers' cross-site writes (which a session cookie would
// otherwise authorise) are refused, and the caller is identified.
func (c serveCmd) handler(a *app, p *policy.Policy, db *store.DB) (http.Handler, error) {
	svc, err := a.service(p, db)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.NewDir(filepath.Join(a.cli.DataDir, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	// One failure allowance per IP for tokens, passwords and links alike.
	limiter := auth.NewLimiter(auth.DefaultFailureBurst, auth.DefaultFailureEvery, time.Now)
	claims := &workflow.Claims{Service: svc, InTx: db.InClaimTx, Opener: db.OpenClaim, Read: db, Warn: db,
		Links: workflow.CustomerLinks{BaseURL: c.PublicURL, ConfirmWithin: c.ConfirmWithin}}
	evidence := &workflow.Evidence{InTx: db.InEvidenceTx, Read: db, Blobs: blobs, Sniff: blob.Sniff, Verify: blob.Verify, Now: time.Now, Today: svc.Today,
		MaxClaimUpload: c.ClaimUpload << 20}
	parcels := &workflow.Parcels{Service: svc, InTx: db.InParcelTx, Read: db}
	imports := &workflow.Imports{Run: registryImporter(p, db)}
	// The dashboard's figures take seconds over a million claims: start now.
	stats := workflow.NewStatistics(claims)
	if stats != nil {
		stats.Warm(a.ctx)
	}
	mux := http.NewServeMux()
	api.New(mux, p, svc, buildVersion(), a.log, api.WithSessions(db, limiter, time.Now), api.WithClaims(claims),
		api.WithEvidence(evidence), api.WithParcels(parcels), api.WithImports(imports), api.WithPublicURL(c.PublicURL))
	if _, err := web.New(mux, web.Deps{Policy: p, Service: svc, Claims: claims, Evidence: evidence, Parcels: parcels,
		Imports: imports, Sessions: db, Limiter: limiter, Anonymous: c.anonymous(), Now: time.Now, Log: a.log, ReturnAddress: c.ReturnAddress,
		Setup: newSetup(p, db), Users: &workflow.Users{Store: db, Hash: hashNewPassword},
		Catalog: &workflow.Catalog{Read: db}, Stats: stats}); err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	return recoverer(a.log, http.NewCrossOriginProtection().Handler(auth.Middleware(db, limiter, a.log)(mux))), nil
}

// startMail runs the worker that sends the outbox's e-mail, through SMTP or
// to the log; the returned function stops it and waits for it.
func (c serveCmd) startMail(a *app, db *store.DB) (func(), error) {
	var sender notify.Sender = notify.LogSender{Log: a.log}
	if c.SMTPURL != "" {
		smtp, err := notify.ParseSMTPURL(c.SMTPURL, c.MailFrom)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		sender = smtp
	}
	mailer := &worker.Mailer{Outbox: db, Sender: sender, Log: a.log}
	ctx, cancel := context.WithCancel(a.ctx)
	done := make(chan error, 1)
	go func() { done <- mailer.Run(ctx) }()
	var once sync.Once
	return func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("mail worker", "err", err)
			}
		})
	}, nil
}
