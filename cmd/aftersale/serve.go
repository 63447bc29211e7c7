package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/aftersale/aftersale/api"
	"github.com/aftersale/aftersale/auth"
	"github.com/aftersale/aftersale/blob"
	"github.com/aftersale/aftersale/workflow"
)

type serveCmd struct {
	Addr string `help:"Address to listen on." env:"AFTERSALE_ADDR" default:"127.0.0.1:8080"`
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
	svc, err := workflow.New(p, db, time.Now)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	// One failure allowance per IP for tokens and passwords alike.
	limiter := auth.NewLimiter(auth.DefaultFailureBurst, auth.DefaultFailureEvery, time.Now)
	claims := &workflow.Claims{Service: svc, InTx: db.InClaimTx, Read: db, Warn: db}
	blobs, err := blob.NewDir(filepath.Join(a.cli.DataDir, "blobs"))
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	evidence := &workflow.Evidence{InTx: db.InEvidenceTx, Read: db, Blobs: blobs, Sniff: blob.Sniff, Now: time.Now}
	parcels := &workflow.Parcels{Service: svc, InTx: db.InParcelTx, Read: db}
	api.New(mux, p, svc, buildVersion(), a.log, api.WithSessions(db, limiter, time.Now), api.WithClaims(claims),
		api.WithEvidence(evidence), api.WithParcels(parcels))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{
		// Cross-origin protection refuses browsers' cross-site writes, which a
		// session cookie would otherwise authorise.
		Handler:           recoverer(a.log, http.NewCrossOriginProtection().Handler(auth.Middleware(db, limiter, a.log)(mux))),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads of evidence are large
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
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
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
