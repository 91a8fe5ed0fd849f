// Command loadgen drives reinvent serve-webhook on loopback with signed
// deliveries or CRC checks and prints the rate, latency percentiles and
// answers other than 200.
//
// Each of -c workers owns one keep-alive connection and sends its next
// request when the last one is answered (closed loop), or at a fixed pace
// when -rate is set, in which case latency counts from when the request
// was due, so a stalled server shows in the percentiles instead of merely
// slowing the load. Requests are built once per worker and patched in
// place (post id, author id, signature), so the generator spends its time
// on the network, not on building requests.
//
//	go run ./internal/tools/loadgen -url http://127.0.0.1:8080/webhook -c 64 -n 100000 -unique
//
// The consumer secret comes from -secret or REINVENT_X_CONSUMER_SECRET.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"
)

// config is the command line.
type config struct {
	url      *url.URL
	secret   string
	mode     string
	handle   string
	n        int
	duration time.Duration
	conns    int
	rate     float64
	unique   bool
	users    int
	seed     uint64
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
	res, err := run(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	res.print(os.Stdout, cfg)
	if res.errors > 0 || res.non200() > 0 {
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{}
	rawURL := fs.String("url", "http://127.0.0.1:8080/webhook", "the webhook URL (http only)")
	fs.StringVar(&cfg.secret, "secret", "", "the X consumer secret to sign with (default $REINVENT_X_CONSUMER_SECRET)")
	fs.StringVar(&cfg.mode, "mode", "post", "post: signed deliveries of one mention; crc: GET ?crc_token=")
	fs.StringVar(&cfg.handle, "handle", "reinventbot", "the bot's handle, mentioned in each delivery")
	fs.IntVar(&cfg.n, "n", 0, "requests to send in all (0: run for -duration)")
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "how long to run when -n is 0")
	fs.IntVar(&cfg.conns, "c", 32, "workers, each with its own keep-alive connection")
	fs.Float64Var(&cfg.rate, "rate", 0, "requests per second in all, paced (0: as fast as answered)")
	fs.BoolVar(&cfg.unique, "unique", false, "a new post id in every request (every POST is a new job); otherwise all carry one id, so all but the first are redeliveries")
	fs.IntVar(&cfg.users, "users", 0, "authors the mentions come from, in turn (0: a new author per mention)")
	fs.Uint64Var(&cfg.seed, "seed", uint64(time.Now().Unix()%100000), "makes the post ids of this run differ from other runs' (0-99999)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(*rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("-url %q: want http://host:port/path", *rawURL)
	}
	cfg.url = u
	if cfg.secret == "" {
		cfg.secret = os.Getenv("REINVENT_X_CONSUMER_SECRET")
	}
	switch {
	case cfg.mode == "post" && cfg.secret == "":
		return nil, errors.New("no secret: set -secret or REINVENT_X_CONSUMER_SECRET")
	case cfg.conns < 1 || cfg.conns > 999:
		return nil, errors.New("-c must be 1 to 999")
	case cfg.n < 0 || cfg.rate < 0 || cfg.users < 0:
		return nil, errors.New("-n, -rate and -users must not be negative")
	case cfg.n == 0 && cfg.duration <= 0:
		return nil, errors.New("give -n or a positive -duration")
	case cfg.seed >= 100000:
		return nil, errors.New("-seed must be below 100000")
	}
	if _, err := newRequest(cfg.mode, cfg.url, cfg.secret, cfg.handle); err != nil {
		return nil, err
	}
	return cfg, nil
}
