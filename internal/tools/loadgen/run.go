package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// result is what the workers saw, merged once they stopped.
type result struct {
	elapsed   time.Duration
	latencies []time.Duration // of answered requests, sorted
	status    map[int]int
	errors    int   // requests without an answer (connection failures)
	lastErr   error // the last of those
}

func (r *result) non200() int {
	n := 0
	for code, c := range r.status {
		if code != http.StatusOK {
			n += c
		}
	}
	return n
}

// worker is one connection's loop. Workers share nothing while they run;
// each keeps its own counts.
type worker struct {
	id   int
	cfg  *config
	req  *request
	conn net.Conn
	br   *bufio.Reader
	res  result
}

// run sends the requests of cfg and returns what happened.
func run(cfg *config) (*result, error) {
	workers := make([]*worker, cfg.conns)
	for i := range workers {
		req, err := newRequest(cfg.mode, cfg.url, cfg.secret, cfg.handle)
		if err != nil {
			return nil, err
		}
		w := &worker{id: i, cfg: cfg, req: req, res: result{status: make(map[int]int)}}
		if err := w.dial(); err != nil {
			return nil, err
		}
		workers[i] = w
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() { w.loop(start) })
	}
	wg.Wait()
	total := &result{elapsed: time.Since(start), status: make(map[int]int)}
	for _, w := range workers {
		if w.conn != nil {
			w.conn.Close()
		}
		total.latencies = append(total.latencies, w.res.latencies...)
		for code, n := range w.res.status {
			total.status[code] += n
		}
		total.errors += w.res.errors
		if w.res.lastErr != nil {
			total.lastErr = w.res.lastErr
		}
	}
	slices.Sort(total.latencies)
	return total, nil
}

func (w *worker) dial() error {
	conn, err := net.Dial("tcp", w.cfg.url.Host)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", w.cfg.url.Host, err)
	}
	w.conn, w.br = conn, bufio.NewReaderSize(conn, 8<<10)
	return nil
}

// loop sends this worker's share of the requests.
func (w *worker) loop(start time.Time) {
	cfg := w.cfg
	quota := -1
	if cfg.n > 0 {
		quota = cfg.n / cfg.conns
		if w.id < cfg.n%cfg.conns {
			quota++
		}
		w.res.latencies = make([]time.Duration, 0, quota)
	}
	deadline := start.Add(cfg.duration)
	var interval time.Duration
	if cfg.rate > 0 {
		interval = time.Duration(float64(cfg.conns) / cfg.rate * float64(time.Second))
		// Spread the workers over one interval so they do not send in step.
		start = start.Add(interval * time.Duration(w.id) / time.Duration(cfg.conns))
	}
	base := cfg.seed*1_000_000_000_000 + uint64(w.id)*1_000_000_000
	w.req.set(base, w.user(0))
	for k := 0; quota < 0 || k < quota; k++ {
		due := time.Now()
		if quota < 0 && due.After(deadline) {
			return
		}
		if interval > 0 {
			due = start.Add(interval * time.Duration(k))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
		}
		if cfg.unique {
			w.req.set(base+uint64(k), w.user(k))
		}
		code, err := w.do()
		if err != nil {
			w.res.errors++
			w.res.lastErr = err
			if w.conn != nil {
				w.conn.Close()
				w.conn = nil
			}
			if w.dial() != nil {
				return
			}
			continue
		}
		w.res.latencies = append(w.res.latencies, time.Since(due))
		w.res.status[code]++
	}
}

// user is the author of the worker's k-th mention.
func (w *worker) user(k int) uint64 {
	n := uint64(k*w.cfg.conns + w.id)
	if w.cfg.users > 0 {
		n %= uint64(w.cfg.users)
	}
	return 2_000_000_000_000_000 + w.cfg.seed*1_000_000_000_000 + n
}

// do sends the request and reads the answer, returning its status.
func (w *worker) do() (int, error) {
	if w.conn == nil {
		if err := w.dial(); err != nil {
			return 0, err
		}
	}
	if _, err := w.conn.Write(w.req.buf); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(w.br, nil)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.Close {
		w.conn.Close()
		w.conn = nil
	}
	return resp.StatusCode, nil
}

// print writes the summary.
func (r *result) print(out io.Writer, cfg *config) {
	n := len(r.latencies)
	load := "closed loop"
	if cfg.rate > 0 {
		load = fmt.Sprintf("paced at %.0f/s", cfg.rate)
	}
	ids := "one post id (redeliveries)"
	if cfg.unique {
		ids = "a new post id each"
	}
	if cfg.mode == "crc" {
		ids = "CRC checks"
	}
	fmt.Fprintf(out, "mode %s, %s, %d connections, %s, seed %d\n", cfg.mode, ids, cfg.conns, load, cfg.seed)
	fmt.Fprintf(out, "requests  %d answered in %.2fs: %.0f/s\n", n, r.elapsed.Seconds(), float64(n)/r.elapsed.Seconds())
	if n > 0 {
		fmt.Fprintf(out, "latency   p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n",
			ms(pct(r.latencies, 50)), ms(pct(r.latencies, 90)), ms(pct(r.latencies, 99)),
			ms(pct(r.latencies, 99.9)), ms(r.latencies[n-1]))
	}
	codes := make([]int, 0, len(r.status))
	for code := range r.status {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	fmt.Fprint(out, "status   ")
	for _, code := range codes {
		fmt.Fprintf(out, " %d×%d", code, r.status[code])
	}
	fmt.Fprintf(out, "\nnon-200   %d\nerrors    %d", r.non200(), r.errors)
	if r.lastErr != nil {
		fmt.Fprintf(out, " (last: %v)", r.lastErr)
	}
	fmt.Fprintln(out)
}

// pct is the p-th percentile of sorted (nearest rank).
func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
