package eventsapi

import (
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
	results := make(chan loginResult, 1)
	report := func(r loginResult) {
		select {
		case results <- r:
		default:
		}
	}
	done := make(chan struct{}) // closed once a result has been taken
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
			writeLoginPage(w, http.StatusGone, "Sign-in already finished", "You can close this window.")
			return
		default:
		}
		q := r.URL.Query()
		if q.Get("state") != state {
			// Not this sign-in's answer: anyone on this machine, or a page
			// in the browser, can send one. It is refused and the sign-in
			// goes on waiting for the real one until its timeout, so that
			// such a request cannot end it.
			writeLoginPage(w, http.StatusBadRequest, "Not this sign-in", "This response does not belong to the sign-in that is waiting (wrong state) and was ignored.")
			return
		}
		if e := q.Get("error"); e != "" {
			msg := e
			if d := q.Get("error_description"); d != "" {
				msg += ": " + d
			}
			writeLoginPage(w, http.StatusBadRequest, "Sign-in failed", msg)
			report(loginResult{err: fmt.Errorf("events-api: login: the authorization server refused the sign-in: %s", msg)})
			return
		}
		code := q.Get("code")
		if code == "" {
			writeLoginPage(w, http.StatusBadRequest, "Sign-in failed", "The response carried no authorization code.")
			report(loginResult{err: errors.New("events-api: login: the callback carried no authorization code")})
			return
		}
		tok, err := cfg.Exchange(withHTTPClient(runCtx, l.HTTP), code, oauth2.VerifierOption(verifier))
		if err != nil {
			writeLoginPage(w, http.StatusBadGateway, "Sign-in failed", "The token request failed; see the terminal.")
			report(loginResult{err: fmt.Errorf("events-api: login: token request: %w", describeOAuthError(err))})
			return
		}
		writeLoginPage(w, http.StatusOK, "Signed in to reinvent", "You can close this window and return to the terminal.")
		report(loginResult{tokens: fromOAuth2(tok)})
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	defer func() {
		shutCtx, c := context.WithTimeout(context.Background(), 5*time.Second)
		defer c()
		_ = srv.Shutdown(shutCtx)
		<-serveErr
	}()

	if l.OpenURL != nil {
		_, _ = fmt.Fprintf(out, "Opening the browser to sign in with AWS Builder ID...\n")
		if err := l.OpenURL(authURL); err != nil {
			_, _ = fmt.Fprintf(out, "Could not open a browser (%v). Open this URL to sign in:\n\n  %s\n\n", err, authURL)
		}
	} else {
		_, _ = fmt.Fprintf(out, "Open this URL in a browser to sign in with AWS Builder ID:\n\n  %s\n\n", authURL)
	}
	_, _ = fmt.Fprintf(out, "Waiting for the sign-in on %s ...\n", redirect)

	select {
	case r := <-results:
		close(done)
		return r.tokens, r.err
	case err := <-serveErr:
		serveErr <- err // for the deferred shutdown
		return nil, fmt.Errorf("events-api: login: callback server: %w", err)
	case <-ctx.Done():
		close(done)
		return nil, fmt.Errorf("events-api: login: %w", ctx.Err())
	}
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
