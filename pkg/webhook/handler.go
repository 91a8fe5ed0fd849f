package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
)

// MaxBodyBytes is the largest delivery the handler reads: 1 MiB. Larger ones
// are answered 413 without being read to the end.
const MaxBodyBytes = 1 << 20

// Handler is the webhook endpoint: it answers X's CRC challenge on GET and
// queues the mentions in signed deliveries on POST.
type Handler struct {
	ConsumerSecret string
	BotHandle      string
	// Queue durably stores the mentions of one delivery; the handler answers 200 only after it returns nil
	// (an error → 500 so X redelivers). Called with an empty slice never.
	Queue  func(ctx context.Context, ms []Mention) error
	Logger *slog.Logger
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
	if h.ConsumerSecret == "" {
		h.logger().Error("webhook CRC check failed: x-consumer-secret is not set")
		writeError(w, http.StatusInternalServerError, "webhook is not configured")
		return
	}
	writeJSON(w, http.StatusOK, struct {
		ResponseToken string `json:"response_token"`
	}{CRC(h.ConsumerSecret, token)})
}

func (h *Handler) serveDelivery(w http.ResponseWriter, r *http.Request) {
	log := h.logger()
	if h.ConsumerSecret == "" || h.Queue == nil {
		log.Error("webhook delivery refused: the handler has no consumer secret or no queue")
		writeError(w, http.StatusInternalServerError, "webhook is not configured")
		return
	}
	if r.ContentLength > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "body over 1 MiB")
		return
	}
	body, err := readBody(w, r)
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
	if !Verify(h.ConsumerSecret, body, r.Header.Get(SignatureHeader)) {
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

// readBody reads at most MaxBodyBytes; the error wraps *http.MaxBytesError
// when the body is longer.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength) + 1)
	} else {
		buf.Grow(4 << 10)
	}
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
