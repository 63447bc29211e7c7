// Command lookup times the warranty check's read alone: store.LookupSerial
// on one goroutine over serials read from a file (bench/sample prints
// them), in rounds, with the time and allocations of one lookup. It is a
// benchmark tool, not part of aftersale.
//
//	go run ./bench/lookup -db bench/out/warranty-1000000/aftersale.db \
//	  -serials <(go run ./bench/sample -db bench/out/warranty-1000000/aftersale.db -n 20000)
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"time"

	"github.com/aftersale/aftersale/store"
)

func main() {
	dbPath := flag.String("db", "data/aftersale.db", "SQLite database file (or postgres:// URL)")
	serialsPath := flag.String("serials", "", "file of serial numbers, one per line")
	rounds := flag.Int("rounds", 5, "timed rounds")
	each := flag.Duration("round", 2*time.Second, "length of a round")
	flag.Parse()
	ctx := context.Background()
	serials, err := readLines(*serialsPath)
	if err != nil {
		log.Fatal(err)
	}
	if len(serials) == 0 {
		log.Fatal("no serials: give -serials")
	}
	db, err := store.Open(ctx, *dbPath, store.WithoutMigrate())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	// One untimed pass, so that the products and distributors are in memory.
	for _, s := range serials[:min(len(serials), 1000)] {
		if _, err := db.LookupSerial(ctx, s); err != nil {
			log.Fatalf("%s: %v", s, err)
		}
	}
	n := 0
	for range *rounds {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start, count := time.Now(), 0
		for time.Since(start) < *each {
			if _, err := db.LookupSerial(ctx, serials[n%len(serials)]); err != nil {
				log.Fatalf("%s: %v", serials[n%len(serials)], err)
			}
			n++
			count++
		}
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		fmt.Printf("%.1f µs a lookup, %.0f allocations\n", float64(elapsed.Nanoseconds())/float64(count)/1000,
			float64(after.Mallocs-before.Mallocs)/float64(count))
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			lines = append(lines, sc.Text())
		}
	}
	return lines, sc.Err()
}
