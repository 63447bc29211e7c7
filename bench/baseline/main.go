// Command baseline is the yardstick of the HTTP benchmarks: a bare net/http
// handler that answers every request with the same bytes, read from a file.
// It is not part of aftersale; bench/*.sh run it beside aftersale.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18081", "address to listen on")
	bodyFile := flag.String("body", "", "file with the response body")
	contentType := flag.String("type", "application/json", "Content-Type of the response")
	flag.Parse()
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("baseline listening on http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // read the request like a real handler
		w.Header().Set("Content-Type", *contentType)
		_, _ = w.Write(body)
	})))
}
