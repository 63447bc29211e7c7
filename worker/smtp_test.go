package worker_test

import (
	"bufio"
	"io"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
)

// smtpServer is a minimal SMTP server for the tests (the outside world's
// double): it speaks enough of RFC 5321 for net/smtp, keeps what it
// receives, and answers MAIL with 451 while fail > 0.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	fail int
	got  []*mail.Message
	body []string
}

func newSMTPServer(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) url() string { return "smtp://" + s.ln.Addr().String() }

func (s *smtpServer) failNext(n int) { s.mu.Lock(); s.fail = n; s.mu.Unlock() }

func (s *smtpServer) received() ([]*mail.Message, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*mail.Message(nil), s.got...), append([]string(nil), s.body...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		switch verb {
		case "EHLO", "HELO":
			say("250-test")
			say("250 8BITMIME")
		case "MAIL":
			s.mu.Lock()
			failing := s.fail > 0
			if failing {
				s.fail--
			}
			s.mu.Unlock()
			if failing {
				say("451 4.3.0 try again later")
				continue
			}
			say("250 OK")
		case "RCPT", "RSET", "NOOP":
			say("250 OK")
		case "DATA":
			say("354 go on")
			data, err := readData(r)
			if err != nil {
				return
			}
			s.keep(data)
			say("250 OK queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

func readData(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if line == ".\r\n" {
			return b.String(), nil
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}

func (s *smtpServer) keep(data string) {
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		return
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	s.mu.Lock()
	s.got = append(s.got, m)
	s.body = append(s.body, strings.ReplaceAll(string(body), "\r\n", "\n"))
	s.mu.Unlock()
}
