// Package notify writes the e-mails a claim's customer gets and sends them:
// by SMTP when configured, else to the log (development). Messages are not
// sent from here at the time of the change: the workflow enqueues them in
// the change's own transaction (an outbox table) and the worker sends them.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Message is one plain-text e-mail, in English.
type Message struct {
	To      string
	Subject string
	Body    string
	// Secret is the secret (or the secrets, separated by spaces) of the
	// claim links the body carries: never logged, and cut out of the
	// stored body once the message is sent.
	Secret string
}

// Validate refuses what would break the message's headers.
func (m Message) Validate() error {
	switch {
	case strings.TrimSpace(m.To) == "" || !strings.Contains(m.To, "@"):
		return fmt.Errorf("message to %q: not an address", m.To)
	case strings.ContainsAny(m.To, "\r\n,;<>\" "):
		return fmt.Errorf("message to %q: one plain address only", m.To)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return fmt.Errorf("message subject %q: one line only", m.Subject)
	}
	return nil
}

// Redacted returns the body without its secret.
func (m Message) Redacted() string { return Redact(m.Body, m.Secret) }

// Redact returns body with secret (each of the secrets it separates by
// spaces) replaced, for logs and kept copies.
func Redact(body, secret string) string {
	for _, s := range strings.Fields(secret) {
		body = strings.ReplaceAll(body, s, "[secret removed]")
	}
	return body
}

// Sender delivers one message; an error means it was not delivered (and the
// worker tries again later).
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender "sends" by logging, for development without a mail server. The
// secret never reaches the log: the link was shown once when the claim was
// opened.
type LogSender struct{ Log *slog.Logger }

// Send logs m without its secret.
func (s LogSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	s.Log.InfoContext(ctx, "e-mail (not sent: no SMTP configured)", "to", m.To, "subject", m.Subject, "body", m.Redacted())
	return nil
}

// Entry is a message in the outbox: waiting, being sent, sent or given up.
type Entry struct {
	ID int64
	Message
	Attempts      int
	CreatedAt     time.Time
	NextAttemptAt time.Time // zero once sent, or when the worker gave up
	SentAt        time.Time // zero until sent
	LastError     string
}
