// Command sample prints serial numbers picked at random from an aftersale
// SQLite database, one per line, for the warranty lookup benchmark's load.
// It is a benchmark tool, not part of aftersale.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"

	_ "modernc.org/sqlite"
)

func main() {
	dbPath := flag.String("db", "data/aftersale.db", "SQLite database file")
	n := flag.Int("n", 10000, "how many serials")
	flag.Parse()
	db, err := sql.Open("sqlite", "file:"+*dbPath+"?mode=ro")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT serial FROM serials ORDER BY random() LIMIT ?`, *n)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintln(os.Stdout, s)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
}
