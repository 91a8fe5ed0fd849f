package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// MaxBodyBytes is the largest delivery the handler reads: 1 MiB. Larger ones
// are answered 413 without being read to the end.
const MaxBodyBytes = 1 << 20

// MaxInFlight is how many deliveries the handler reads at once by default,
// which bounds the memory their bodies take to MaxInFlight MiB. The others
// wait up to TurnWait for a turn, holding no buffer, and are then answered
// 503 so that X delivers them again later (docs/webhook.md, "Memory and
// slow clients").
const MaxInFlight = 256

// TurnWait is how long a delivery waits for one of the MaxInFlight turns.
const TurnWait = time.Second

// Buffers for bodies: they start small and grow only as bytes arrive, and
// only small ones are kept for reuse.
const (
	bodyStart   = 4 << 10
	bodyKeepMax = 64 << 10
)

var bodyPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, bodyStart)) }}

// Handler is the webhook endpoint: it answers X's CRC challenge on GET and
// queues the mentions in signed deliveries on POST.
type Handler struct {
	ConsumerSecret string
	// ClientSecret is the app's OAuth 2.0 client secret, when it has one:
	// the CRC is answered with it then, and a delivery signed with it in
	// OAuth2SignatureHeader is accepted as well as one signed with
	// ConsumerSecret in SignatureHeader.
	ClientSecret string
	BotHandle    string
	// Queue durably stores the mentions of one delivery; the handler answers 200 only after it returns nil
	// (an error → 500 so X redelivers). Called with an empty slice never.
	Queue  func(ctx context.Context, ms []Mention) error
	Logger *slog.Logger
	// InFlight bounds the deliveries read at once; 0 means MaxInFlight.
	InFlight int

	once  sync.Once
	turns chan struct{}
}

// ServeHTTP answers GET ?crc_token=T with the CRC response token and POST
// with 200 once the delivery's mentions are queued. A POST is refused with
// 413 over MaxBodyBytes, 401 when its signature is missing or wrong, 400 when
// it is not JSON, and 500 when queueing fails; nothing is queued then. Other
// methods get 405. Error answers are small JSON objects {"error": "..."}.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.serveCRC(w, r)
	case http.MethodPost:
		h.serveDelivery(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		writeError(w, http.StatusMethodNotAllowed, "method not allowed: use GET for the CRC check and POST for events")
	}
}

func (h *Handler) serveCRC(w http.ResponseWriter, r *http.Request) {
	token := r.URL.Query().Get("crc_token")
	if token == "" {
		writeError(w, http.StatusBadRequest, "missing crc_token")
		return
	}
	// "generate it with the OAuth 2.0 client secret when available, or
	// with the OAuth 1.0 consumer secret" (docs/x-api-research.md 4b).
	key := h.ClientSecret
	if key == "" {
		key = h.ConsumerSecret
	}
	if key == "" {
		h.logger().Error("webhook CRC check failed: x-consumer-secret is not set")
		writeError(w, http.StatusInternalServerError, "webhook is not configured")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		ResponseToken string `json:"response_token"`
	}{CRC(key, token)})
}

func (h *Handler) serveDelivery(w http.ResponseWriter, r *http.Request) {
	log := h.logger()
	if (h.ConsumerSecret == "" && h.ClientSecret == "") || h.Queue == nil {
		log.Error("webhook delivery refused: the handler has no consumer secret or no queue")
		writeError(w, http.StatusInternalServerError, "webhook is not configured")
		return
	}
	if r.ContentLength > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "body over 1 MiB")
		return
	}
	h.once.Do(func() {
		n := h.InFlight
		if n <= 0 {
			n = MaxInFlight
		}
		h.turns = make(chan struct{}, n)
	})
	wait := time.NewTimer(TurnWait)
	select {
	case h.turns <- struct{}{}:
		wait.Stop()
		defer func() { <-h.turns }()
	case <-wait.C:
		log.Warn("webhook delivery refused: too many deliveries being read at once", "remote", r.RemoteAddr, "in_flight", cap(h.turns))
		w.Header().Set("Retry-After", "1")
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusServiceUnavailable, "too many deliveries at once; try again")
		return
	case <-r.Context().Done():
		wait.Stop()
		return // the client went away while it waited
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= bodyKeepMax {
			buf.Reset()
			bodyPool.Put(buf)
		}
	}()
	body, err := readBody(w, r, buf)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body over 1 MiB")
			return
		}
		log.Warn("webhook delivery unreadable", "remote", r.RemoteAddr, "err", err)
		writeError(w, http.StatusBadRequest, "unreadable body")
		return
	}
	if !Verify(h.ConsumerSecret, body, r.Header.Get(SignatureHeader)) && !Verify(h.ClientSecret, body, r.Header.Get(OAuth2SignatureHeader)) {
		log.Warn("webhook delivery with a missing or bad signature refused", "remote", r.RemoteAddr, "bytes", len(body))
		writeError(w, http.StatusUnauthorized, "missing or bad "+SignatureHeader)
		return
	}
	ms, err := Parse(body, h.BotHandle)
	if err != nil {
		log.Warn("webhook delivery is not valid JSON", "remote", r.RemoteAddr, "err", err)
		writeError(w, http.StatusBadRequest, "malformed JSON")
		return
	}
	// A screen name that is not a handle by X's rule ("eve @victim2") would
	// make the reply mention someone else: such a mention is not answered.
	ms = slices.DeleteFunc(ms, func(m Mention) bool {
		if m.User == "" || ValidHandle(m.User) {
			return false
		}
		log.Warn("mention dropped: its author's screen name is not an X handle", "mention", m.ID, "screen_name", strconv.Quote(m.User))
		return true
	})
	// One delivery may hold the same mention many times; it is one job,
	// so it is queued, logged and counted once.
	if n := len(ms); n > 1 {
		seen := make(map[string]bool, n)
		ms = slices.DeleteFunc(ms, func(m Mention) bool {
			dup := seen[m.ID]
			seen[m.ID] = true
			return dup
		})
		if len(ms) < n {
			log.Warn("webhook delivery repeats mentions; each is queued once", "remote", r.RemoteAddr, "mentions", n, "distinct", len(ms))
		}
	}
	if len(ms) > 0 {
		if err := h.Queue(r.Context(), ms); err != nil {
			log.Error("queue mentions failed; X will redeliver", "mentions", len(ms), "err", err)
			writeError(w, http.StatusInternalServerError, "could not queue the mentions")
			return
		}
		for _, m := range ms {
			log.Info("mention received", "id", m.ID, "user", m.User)
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Queued int `json:"queued"`
	}{len(ms)})
}

// readBody reads at most MaxBodyBytes into buf; the error wraps
// *http.MaxBytesError when the body is longer. The buffer grows only as
// bytes arrive, never to what Content-Length promises: a client that
// claims a megabyte and sends nothing costs nothing. The body is buf's and
// is good until buf is reused.
func readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) ([]byte, error) {
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	return buf.Bytes(), err
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Logger
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Error string `json:"error"`
	}{msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	// The values written here are structs of strings and ints, which always marshal.
	b, _ := json.Marshal(v)
	b = append(b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
