package eventsapi

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// OAuth parameters of the AWS Events API sign-in (docs/events-api.md, "Sign-in and tokens").
const (
	OAuthScope       = "openid email events/access"
	IdentityProvider = "AWSBuilderID"
	CallbackPath     = "/callback"
)

// DefaultPorts are the loopback ports tried, in order, for the callback.
var DefaultPorts = []int{8484, 8485, 8486, 8487, 8488, 8489}

// Login runs the OAuth 2.0 authorization code flow with PKCE (S256) against
// an authorization server with a loopback redirect.
type Login struct {
	// OAuthURL is the base of /oauth2/authorize, /oauth2/token.
	OAuthURL string
	ClientID string
	// Ports are tried in order for the callback server; nil means DefaultPorts.
	Ports []int
	// Port, when not zero, is the only port tried (--port).
	Port int
	// OpenURL opens the authorize URL in a browser; nil prints it to Out.
	// When it fails the URL is printed as well.
	OpenURL func(string) error
	// Out receives instructions for the user; nil discards them.
	Out io.Writer
	// Paste, when set, is read line by line while the callback server
	// waits: a line holding the address the browser ended on (pasted by
	// the user when the browser runs on another machine, where the
	// loopback redirect cannot load) signs in as the callback would. A
	// line that is not this sign-in's answer gets a one-line error on Out
	// and the next line is read. Run does not wait for a read in progress
	// when it returns.
	Paste io.Reader
	// HTTP is used for the token request; nil means http.DefaultClient.
	HTTP *http.Client
}

func (l *Login) ports() []int {
	if l.Port != 0 {
		return []int{l.Port}
	}
	if len(l.Ports) > 0 {
		return l.Ports
	}
	return DefaultPorts
}

func describePorts(ports []int) string {
	contiguous := len(ports) > 1
	for i := 1; i < len(ports); i++ {
		if ports[i] != ports[i-1]+1 {
			contiguous = false
		}
	}
	if contiguous {
		return fmt.Sprintf("%d-%d", ports[0], ports[len(ports)-1])
	}
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(p)
	}
	return strings.Join(s, ", ")
}

// listenLoopback listens on 127.0.0.1 on the first free port of ports.
func (l *Login) listenLoopback() (net.Listener, int, error) {
	ports := l.ports()
	var lastErr error
	for _, p := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err == nil {
			return ln, p, nil
		}
		lastErr = err
	}
	if l.Port != 0 {
		return nil, 0, fmt.Errorf("events-api: login: port %d on 127.0.0.1 is not free (%v); pass another --port", l.Port, lastErr)
	}
	return nil, 0, fmt.Errorf("events-api: login: no free port for the sign-in callback: 127.0.0.1 ports %s are all in use; free one of them or pass --port", describePorts(ports))
}

func oauthConfig(oauthURL, clientID, redirect string) *oauth2.Config {
	base := strings.TrimRight(oauthURL, "/")
	return &oauth2.Config{
		ClientID: clientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth2/authorize",
			TokenURL:  base + "/oauth2/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirect,
		Scopes:      strings.Fields(OAuthScope),
	}
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func withHTTPClient(ctx context.Context, c *http.Client) context.Context {
	if c == nil {
		return ctx
	}
	return context.WithValue(ctx, oauth2.HTTPClient, c)
}

func httpClientFrom(ctx context.Context) *http.Client {
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		return c
	}
	return http.DefaultClient
}

func fromOAuth2(t *oauth2.Token) *Tokens {
	return &Tokens{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken, Expiry: t.Expiry}
}

// describeOAuthError turns a token endpoint error into a short message.
func describeOAuthError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := re.ErrorCode
		if re.ErrorDescription != "" {
			msg += ": " + re.ErrorDescription
		}
		if msg == "" {
			status := ""
			if re.Response != nil {
				status = re.Response.Status
			}
			msg = strings.TrimSpace(status)
		}
		return fmt.Errorf("%s: %w", msg, err)
	}
	return err
}

const loginPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>reinvent</title></head>
<body style="font-family:sans-serif;margin:3em"><h1>%s</h1><p>%s</p></body></html>
`

func writeLoginPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, loginPage, html.EscapeString(title), html.EscapeString(text))
}

type loginResult struct {
	tokens *Tokens
	err    error
}

// Run signs in: it starts the callback server on the first free port,
// opens (or prints) the authorize URL, waits for the redirect, checks
// state, exchanges the code with the PKCE verifier and returns the tokens.
// Cancelling ctx stops the wait.
func (l *Login) Run(ctx context.Context) (*Tokens, error) {
	if l.OAuthURL == "" || l.ClientID == "" {
		return nil, errors.New("events-api: login: oauth-url and oauth-client-id must be set")
	}
	out := l.Out
	if out == nil {
		out = io.Discard
	}
	ln, port, err := l.listenLoopback()
	if err != nil {
		return nil, err
	}
	redirect := fmt.Sprintf("http://127.0.0.1:%d%s", port, CallbackPath)
	cfg := oauthConfig(l.OAuthURL, l.ClientID, redirect)
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("events-api: login: %w", err)
	}
	authURL := cfg.AuthCodeURL(state,
		oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("identity_provider", IdentityProvider),
	)

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := &signIn{cfg: cfg, state: state, verifier: verifier, http: l.HTTP, results: make(chan loginResult, 1)}
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) { a.callback(runCtx, w, r) })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer func() {
		shutCtx, c := context.WithTimeout(context.Background(), 5*time.Second)
		defer c()
		_ = srv.Shutdown(shutCtx)
		<-serveErr
	}()

	printed := l.OpenURL == nil
	if l.OpenURL != nil {
		_, _ = fmt.Fprintf(out, "Opening the browser to sign in with AWS Builder ID...\n")
		if err := l.OpenURL(authURL); err != nil {
			_, _ = fmt.Fprintf(out, "Could not open a browser (%v). Open this URL to sign in:\n\n  %s\n\n", err, authURL)
			printed = true
		}
	} else {
		_, _ = fmt.Fprintf(out, "Open this URL in a browser to sign in with AWS Builder ID:\n\n  %s\n\n", authURL)
	}
	_, _ = fmt.Fprintf(out, "Waiting for the sign-in on %s ...\n", redirect)
	if printed {
		_, _ = fmt.Fprintf(out, "If the browser runs on another machine, it cannot reach that address. Either\n"+
			"  - forward the port from the browser's machine, then open the URL there:\n"+
			"      ssh -N -L %d:127.0.0.1:%d <this machine>\n", port, port)
		if l.Paste != nil {
			_, _ = fmt.Fprint(out, "  - or open the URL, sign in, copy the address of the page that then fails to\n"+
				"    load, paste it here and press Enter.\n")
		}
	}
	if l.Paste != nil {
		go a.readPasted(runCtx, l.Paste, out)
	}

	select {
	case r := <-a.results:
		a.done.Store(true)
		return r.tokens, r.err
	case err := <-serveErr:
		serveErr <- err // for the deferred shutdown
		return nil, fmt.Errorf("events-api: login: callback server: %w", err)
	case <-ctx.Done():
		a.done.Store(true)
		return nil, fmt.Errorf("events-api: login: %w", ctx.Err())
	}
}

// signIn is one sign-in waiting for its answer: the redirect to the
// callback server, or the address the browser ended on, pasted.
type signIn struct {
	cfg             *oauth2.Config
	state, verifier string
	http            *http.Client
	// claimed is set by the first answer that ends the sign-in, so that
	// its code is the only one exchanged; done once Run has returned.
	claimed, done atomic.Bool
	results       chan loginResult
}

// errNotThisSignIn is the error of an answer with another state: anyone
// on this machine, or a page in the browser, can send one. It is refused
// and the sign-in goes on waiting for the real one, so that such a request
// cannot end it.
var errNotThisSignIn = errors.New("the answer belongs to another sign-in (its state differs)")

// errNoAnswer is the error of a pasted line that carries none of code,
// state and error.
var errNoAnswer = errors.New("not the address the browser ended on")

// errNoCode is the error of this sign-in's answer with neither a code nor
// an error.
var errNoCode = errors.New("events-api: login: the answer carried no authorization code")

// answer reads the authorization server's answer in q: the code, or the
// error that ends the sign-in, or errNotThisSignIn, errNoAnswer or
// errNoCode.
func (a *signIn) answer(q url.Values) (code string, err error) {
	if !q.Has("state") && !q.Has("code") && !q.Has("error") {
		return "", errNoAnswer
	}
	if q.Get("state") != a.state {
		return "", errNotThisSignIn
	}
	if e := q.Get("error"); e != "" {
		msg := e
		if d := q.Get("error_description"); d != "" {
			msg += ": " + d
		}
		return "", fmt.Errorf("events-api: login: the authorization server refused the sign-in: %s", msg)
	}
	if q.Get("code") == "" {
		return "", errNoCode
	}
	return q.Get("code"), nil
}

// exchange trades code for tokens with the PKCE verifier and the redirect
// URI of the authorize request, and reports the result.
func (a *signIn) exchange(ctx context.Context, code string) loginResult {
	tok, err := a.cfg.Exchange(withHTTPClient(ctx, a.http), code, oauth2.VerifierOption(a.verifier))
	r := loginResult{err: err}
	if err != nil {
		r.err = fmt.Errorf("events-api: login: token request: %w", describeOAuthError(err))
	} else {
		r.tokens = fromOAuth2(tok)
	}
	a.results <- r
	return r
}

// callback answers the browser's redirect to the callback server.
func (a *signIn) callback(ctx context.Context, w http.ResponseWriter, r *http.Request) {
	if a.done.Load() {
		writeLoginPage(w, http.StatusGone, "Sign-in already finished", "You can close this window.")
		return
	}
	code, err := a.answer(r.URL.Query())
	switch {
	case errors.Is(err, errNotThisSignIn), errors.Is(err, errNoAnswer):
		writeLoginPage(w, http.StatusBadRequest, "Not this sign-in", "This response does not belong to the sign-in that is waiting (wrong state) and was ignored.")
		return
	case !a.claimed.CompareAndSwap(false, true):
		writeLoginPage(w, http.StatusGone, "Sign-in already finished", "You can close this window.")
		return
	case err != nil:
		writeLoginPage(w, http.StatusBadRequest, "Sign-in failed", strings.TrimPrefix(err.Error(), "events-api: login: "))
		a.results <- loginResult{err: err}
		return
	}
	if res := a.exchange(ctx, code); res.err != nil {
		writeLoginPage(w, http.StatusBadGateway, "Sign-in failed", "The token request failed; see the terminal.")
		return
	}
	writeLoginPage(w, http.StatusOK, "Signed in to reinvent", "You can close this window and return to the terminal.")
}

// maxPaste is the longest pasted line read: an address the browser ended
// on is far shorter.
const maxPaste = 64 << 10

// readPasted reads lines from in until one is this sign-in's answer, which
// it reports, or in ends. Each other line gets a one-line error on out
// that never quotes it, since it may hold a code.
func (a *signIn) readPasted(ctx context.Context, in io.Reader, out io.Writer) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), maxPaste)
	for sc.Scan() {
		if a.done.Load() || a.claimed.Load() {
			return
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		code, err := a.answer(PastedQuery(line))
		switch {
		case errors.Is(err, errNoAnswer):
			_, _ = fmt.Fprintf(out, "That is not the address the browser ended on: copy the whole address of the page that failed to load (%s?code=…&state=…) and paste it here.\n", a.cfg.RedirectURL)
			continue
		case errors.Is(err, errNotThisSignIn):
			_, _ = fmt.Fprintln(out, "That address belongs to another sign-in (its state differs): paste the address this sign-in's URL led to.")
			continue
		case errors.Is(err, errNoCode):
			_, _ = fmt.Fprintln(out, "That address carries no code: sign in with the URL above first, then paste the address the browser ends on.")
			continue
		case !a.claimed.CompareAndSwap(false, true):
			return
		case err != nil:
			a.results <- loginResult{err: err}
			return
		}
		a.exchange(ctx, code)
		return
	}
	if err := sc.Err(); err != nil && !a.done.Load() {
		_, _ = fmt.Fprintf(out, "Could not read a pasted address (%v); waiting for the browser on %s.\n", err, a.cfg.RedirectURL)
	}
}

// PastedQuery returns the query of a pasted address: of a whole URL,
// with or without its scheme, of "?code=…&state=…", or of the bare
// "code=…&state=…". Surrounding quotes or angle brackets are dropped, and
// so are the pairs that cannot be decoded.
func PastedQuery(line string) url.Values {
	line = strings.Trim(strings.TrimSpace(line), `"'<>`)
	if _, after, ok := strings.Cut(line, "?"); ok {
		line = after
	}
	line, _, _ = strings.Cut(line, "#")
	q, _ := url.ParseQuery(line) // the pairs it could decode
	return q
}

// Refresh uses t.RefreshToken to get a new access token from
// {oauthURL}/oauth2/token. The refresh token is kept when the server does
// not rotate it. The HTTP client may be set in ctx with oauth2.HTTPClient.
func Refresh(ctx context.Context, oauthURL, clientID string, t *Tokens) (*Tokens, error) {
	if t == nil || t.RefreshToken == "" {
		return nil, errors.New("events-api: no refresh token; run `reinvent login`")
	}
	cfg := oauthConfig(oauthURL, clientID, "")
	tok, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: t.RefreshToken}).Token()
	if err != nil {
		return nil, fmt.Errorf("events-api: refresh the access token: %w; run `reinvent login` again if this persists", describeOAuthError(err))
	}
	nt := fromOAuth2(tok)
	if nt.RefreshToken == "" {
		nt.RefreshToken = t.RefreshToken
	}
	return nt, nil
}

// Revoke revokes refreshToken with POST {oauthURL}/oauth2/revoke (form
// token, client_id). The HTTP client may be set in ctx with oauth2.HTTPClient.
func Revoke(ctx context.Context, oauthURL, clientID, refreshToken string) error {
	form := url.Values{"token": {refreshToken}, "client_id": {clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		strings.TrimRight(oauthURL, "/")+"/oauth2/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("events-api: revoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := httpClientFrom(ctx).Do(req)
	if err != nil {
		return fmt.Errorf("events-api: revoke: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	msg := resp.Status
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil {
		switch {
		case e.Error != "" && e.Description != "":
			msg += ": " + e.Error + ": " + e.Description
		case e.Error != "":
			msg += ": " + e.Error
		case e.Message != "":
			msg += ": " + e.Message
		}
	}
	return fmt.Errorf("events-api: revoke: %s", msg)
}
