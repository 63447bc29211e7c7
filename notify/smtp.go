package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
)

// SMTPSender sends through a mail server with the standard library's
// net/smtp: one plain-text message per call needs no more than EHLO,
// STARTTLS, AUTH PLAIN and DATA, and so no dependency. STARTTLS is used
// whenever the server offers it; smtps:// speaks TLS from the start.
type SMTPSender struct {
	Addr     string // host:port
	Host     string // the server's name, for TLS and AUTH
	Implicit bool   // smtps: TLS from the first byte
	Auth     smtp.Auth
	From     string      // the envelope and header sender
	TLS      *tls.Config // nil: verify Host against the system's roots
	Timeout  time.Duration
}

// ParseSMTPURL reads smtp://user:pass@host:587 (STARTTLS when offered) or
// smtps://user:pass@host:465. net/smtp's PLAIN auth refuses to send the
// password over a connection that is not TLS, unless the host is local.
func ParseSMTPURL(raw, from string) (*SMTPSender, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// Not %w: url.Error quotes the URL, password and all.
		return nil, fmt.Errorf("smtp url: not a URL")
	}
	s := &SMTPSender{Host: u.Hostname(), From: from, Timeout: 30 * time.Second}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		s.Implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("smtp url: scheme %q, want smtp or smtps", u.Scheme)
	}
	if s.Host == "" {
		return nil, fmt.Errorf("smtp url: no host")
	}
	if _, err := mail.ParseAddress(from); err != nil || from == "" {
		return nil, fmt.Errorf("mail from %q: not an address", from)
	}
	s.Addr = net.JoinHostPort(s.Host, port)
	if u.User != nil {
		pass, _ := u.User.Password()
		s.Auth = smtp.PlainAuth("", u.User.Username(), pass, s.Host)
	}
	return s, nil
}

// Send delivers m, or returns why not.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	data, err := s.compose(m)
	if err != nil {
		return err
	}
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout)
		defer cancel()
	}
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.deliver(c, m.To, data); err != nil {
		return fmt.Errorf("smtp %s: %w", s.Addr, err)
	}
	return nil
}

// dial connects, with ctx bounding the whole conversation.
func (s *SMTPSender) dial(ctx context.Context) (*smtp.Client, error) {
	cfg := s.tlsConfig()
	var conn net.Conn
	var err error
	if s.Implicit {
		conn, err = (&tls.Dialer{Config: cfg}).DialContext(ctx, "tcp", s.Addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	}
	if err != nil {
		return nil, fmt.Errorf("smtp connect %s: %w", s.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("smtp greeting %s: %w", s.Addr, err)
	}
	if err := c.Hello(helloName(s.From)); err != nil {
		c.Close()
		return nil, fmt.Errorf("smtp hello %s: %w", s.Addr, err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && !s.Implicit {
		if err := c.StartTLS(cfg); err != nil {
			c.Close()
			return nil, fmt.Errorf("smtp starttls %s: %w", s.Addr, err)
		}
	}
	return c, nil
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	if s.TLS != nil {
		return s.TLS
	}
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

func (s *SMTPSender) deliver(c *smtp.Client, to string, data []byte) error {
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(envelope(s.From)); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	return c.Quit()
}

// compose writes the message: UTF-8 text, quoted-printable, headers encoded
// where they are not ASCII.
func (s *SMTPSender) compose(m Message) ([]byte, error) {
	id := make([]byte, 12)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("message id: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", s.From)
	fmt.Fprintf(&b, "To: %s\r\n", m.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", m.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", time.Now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(id), helloName(s.From))
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(m.Body, "\n", "\r\n"))); err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	if err := qp.Close(); err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	return b.Bytes(), nil
}

// envelope is the bare address of a From such as "Service <rma@example.com>".
func envelope(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address
	}
	return from
}

// helloName is the domain of the sender, which a server expects in EHLO
// more than "localhost".
func helloName(from string) string {
	if _, domain, ok := strings.Cut(envelope(from), "@"); ok && domain != "" {
		return domain
	}
	return "localhost"
}
