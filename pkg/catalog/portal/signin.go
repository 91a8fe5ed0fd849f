package portal

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/reinvent-cli/reinvent/pkg/catalog/portal/srp"
)

// Sign-in flows of SignIn.Flow.
const (
	FlowSRP      = "srp"
	FlowPassword = "password"
)

// expiryMargin is how long before its expiry a cached access token is no
// longer used.
const expiryMargin = time.Minute

// SignIn signs in to the attendee portal's Cognito user pool and keeps the
// tokens in Tokens. Its Token method is Catalog.Token.
type SignIn struct {
	Region       string // default: the region prefix of PoolID
	PoolID       string
	ClientID     string
	ClientSecret string // empty when the app client has no secret
	Endpoint     string // base endpoint override of the Cognito IdP API
	Flow         string // FlowSRP (default) or FlowPassword
	Username     string
	// Password is asked only when a password sign-in is needed.
	Password func() (string, error)
	Tokens   *TokenFile // nil keeps nothing between runs
	HTTP     *http.Client
	Now      func() time.Time

	mu     sync.Mutex
	client *cip.Client
	cached *Tokens // tokens of this process, when Tokens is nil
}

func (s *SignIn) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Token returns an access token: unless fresh, a cached one that has not
// expired; else one from REFRESH_TOKEN_AUTH with the cached refresh token;
// and when that is refused, one from a password sign-in.
func (s *SignIn) Token(ctx context.Context, fresh bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.PoolID == "" || s.ClientID == "" {
		return "", fmt.Errorf("portal: sign-in: %w: the Cognito user pool id and app client id must be set", ErrAuth)
	}
	if s.Username == "" {
		return "", fmt.Errorf("portal: sign-in: %w: no username: set username in the config file or REINVENT_USERNAME", ErrAuth)
	}
	cli, err := s.api()
	if err != nil {
		return "", err
	}

	tok, err := s.load()
	if err != nil {
		return "", err
	}
	if tok != nil && (tok.Login != s.Username || tok.ClientID != "" && tok.ClientID != s.ClientID) {
		tok = nil // someone else's tokens
	}
	if tok != nil && !fresh && tok.AccessToken != "" && s.now().Add(expiryMargin).Before(tok.Expiry) {
		return tok.AccessToken, nil
	}
	if tok != nil && tok.RefreshToken != "" {
		nt, err := s.refresh(ctx, cli, tok)
		if err == nil {
			return s.keep(nt)
		}
		if !errors.Is(err, ErrAuth) {
			return "", err
		}
		// Expired or revoked: forget it and sign in with the password.
		if err := s.forget(); err != nil {
			return "", err
		}
	}
	nt, err := s.passwordSignIn(ctx, cli)
	if err != nil {
		return "", err
	}
	return s.keep(nt)
}

// keep saves new tokens and returns the access token.
func (s *SignIn) keep(t *Tokens) (string, error) {
	if err := s.save(t); err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

func (s *SignIn) api() (*cip.Client, error) {
	if s.client != nil {
		return s.client, nil
	}
	region := s.Region
	if region == "" {
		region, _, _ = strings.Cut(s.PoolID, "_")
	}
	opts := cip.Options{
		Region:      region,
		Credentials: aws.AnonymousCredentials{},
	}
	if s.Endpoint != "" {
		opts.BaseEndpoint = aws.String(s.Endpoint)
	}
	if s.HTTP != nil {
		opts.HTTPClient = s.HTTP
	}
	s.client = cip.New(opts)
	return s.client, nil
}

func (s *SignIn) load() (*Tokens, error) {
	if s.Tokens == nil {
		return s.cached, nil
	}
	return s.Tokens.Load()
}

func (s *SignIn) save(t *Tokens) error {
	s.cached = t
	if s.Tokens == nil {
		return nil
	}
	return s.Tokens.Save(t)
}

func (s *SignIn) forget() error {
	s.cached = nil
	if s.Tokens == nil {
		return nil
	}
	return s.Tokens.Delete()
}

func (s *SignIn) refresh(ctx context.Context, cli *cip.Client, old *Tokens) (*Tokens, error) {
	params := map[string]string{"REFRESH_TOKEN": old.RefreshToken}
	if s.ClientSecret != "" {
		name := old.Username
		if name == "" {
			name = s.Username
		}
		params["SECRET_HASH"] = srp.SecretHash(name, s.ClientID, s.ClientSecret)
	}
	out, err := cli.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		ClientId:       aws.String(s.ClientID),
		AuthParameters: params,
	})
	if err != nil {
		return nil, s.apiError("refresh the sign-in", err)
	}
	if out.AuthenticationResult == nil {
		return nil, fmt.Errorf("portal: sign-in: %w: Cognito answered REFRESH_TOKEN_AUTH without tokens", ErrAuth)
	}
	t := s.tokens(out.AuthenticationResult, old.Username)
	if t.RefreshToken == "" {
		t.RefreshToken = old.RefreshToken
	}
	return t, nil
}

func (s *SignIn) passwordSignIn(ctx context.Context, cli *cip.Client) (*Tokens, error) {
	if s.Password == nil {
		return nil, fmt.Errorf("portal: sign-in: %w: a password is needed: set REINVENT_PASSWORD or put \"password: ...\" in the config file, use --password-stdin, or run on a terminal", ErrAuth)
	}
	password, err := s.Password()
	if err != nil {
		return nil, err
	}
	switch s.Flow {
	case "", FlowSRP:
		return s.srpSignIn(ctx, cli, password)
	case FlowPassword:
		params := map[string]string{"USERNAME": s.Username, "PASSWORD": password}
		if s.ClientSecret != "" {
			params["SECRET_HASH"] = srp.SecretHash(s.Username, s.ClientID, s.ClientSecret)
		}
		out, err := cli.InitiateAuth(ctx, &cip.InitiateAuthInput{
			AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
			ClientId:       aws.String(s.ClientID),
			AuthParameters: params,
		})
		if err != nil {
			return nil, s.apiError("sign in", err)
		}
		if out.AuthenticationResult == nil {
			return nil, challengeError(out.ChallengeName)
		}
		return s.tokens(out.AuthenticationResult, ""), nil
	default:
		return nil, fmt.Errorf("portal: sign-in: unknown auth-flow %q, want srp or password", s.Flow)
	}
}

func (s *SignIn) srpSignIn(ctx context.Context, cli *cip.Client, password string) (*Tokens, error) {
	c, err := srp.NewClient(s.PoolID, s.ClientID, s.ClientSecret)
	if err != nil {
		return nil, fmt.Errorf("portal: sign-in: %w", err)
	}
	c.Now = s.Now
	sess, err := c.Start()
	if err != nil {
		return nil, fmt.Errorf("portal: sign-in: %w", err)
	}
	out, err := cli.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserSrpAuth,
		ClientId:       aws.String(s.ClientID),
		AuthParameters: sess.AuthParameters(s.Username),
	})
	if err != nil {
		return nil, s.apiError("sign in", err)
	}
	if out.AuthenticationResult != nil {
		return s.tokens(out.AuthenticationResult, ""), nil
	}
	if out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return nil, challengeError(out.ChallengeName)
	}
	resp, err := sess.Respond(password, out.ChallengeParameters)
	if err != nil {
		return nil, fmt.Errorf("portal: sign-in: Cognito's PASSWORD_VERIFIER challenge: %w", err)
	}
	userID := out.ChallengeParameters[srp.ParamUserIDForSRP]
	rout, err := cli.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ChallengeName:      types.ChallengeNameTypePasswordVerifier,
		ClientId:           aws.String(s.ClientID),
		ChallengeResponses: resp,
		Session:            out.Session,
	})
	if err != nil {
		return nil, s.apiError("sign in", err)
	}
	if rout.AuthenticationResult == nil {
		return nil, challengeError(rout.ChallengeName)
	}
	return s.tokens(rout.AuthenticationResult, userID), nil
}

// tokens makes Tokens of a result; username is Cognito's internal user name
// when known, else it is read from the access token's claims.
func (s *SignIn) tokens(r *types.AuthenticationResultType, username string) *Tokens {
	t := &Tokens{
		AccessToken:  aws.ToString(r.AccessToken),
		IDToken:      aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken),
		Expiry:       s.now().Add(time.Duration(r.ExpiresIn) * time.Second),
		Login:        s.Username,
		Username:     username,
		ClientID:     s.ClientID,
	}
	if r.ExpiresIn <= 0 {
		t.Expiry = s.now().Add(time.Hour)
	}
	if t.Username == "" {
		t.Username = jwtUsername(t.AccessToken)
	}
	if t.Username == "" {
		t.Username = s.Username
	}
	return t
}

// jwtUsername reads the "username" claim of a JWT without verifying it (the
// token came straight from Cognito over TLS); "" when there is none.
func jwtUsername(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims struct {
		Username     string `json:"username"`
		CognitoUname string `json:"cognito:username"`
	}
	if json.Unmarshal(b, &claims) != nil {
		return ""
	}
	if claims.Username != "" {
		return claims.Username
	}
	return claims.CognitoUname
}

// challengeError explains a challenge this client cannot answer.
func challengeError(name types.ChallengeNameType) error {
	switch name {
	case types.ChallengeNameTypeNewPasswordRequired:
		return fmt.Errorf("portal: sign-in: %w: the portal asks for a new password: sign in once at the attendee portal in a browser, then try again", ErrAuth)
	case types.ChallengeNameTypeSmsMfa, types.ChallengeNameTypeSoftwareTokenMfa,
		types.ChallengeNameTypeSelectMfaType, types.ChallengeNameTypeMfaSetup,
		types.ChallengeNameTypeEmailOtp:
		return fmt.Errorf("portal: sign-in: %w: the account asks for multi-factor authentication (%s), which reinvent does not support: turn MFA off for this account in the attendee portal, or use --source events-api", ErrAuth, name)
	case "":
		return fmt.Errorf("portal: sign-in: %w: Cognito answered with neither tokens nor a challenge", ErrAuth)
	default:
		return fmt.Errorf("portal: sign-in: %w: Cognito asks for the %s challenge, which reinvent does not support: sign in at the attendee portal in a browser, then try again", ErrAuth, name)
	}
}

// apiError classifies an error of a Cognito call: refused credentials and
// other client faults wrap ErrAuth; server faults, throttling and network
// failures wrap ErrUnavailable. Messages carry no secrets: Cognito's own
// messages never echo the password or tokens.
func (s *SignIn) apiError(what string, err error) error {
	var (
		apiErr  smithy.APIError
		respErr *smithyhttp.ResponseError
	)
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("portal: %s: %w", what, context.Canceled)
	}
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("portal: %s: %w: cannot reach Cognito: %v", what, ErrUnavailable, err)
	}
	code := apiErr.ErrorCode()
	switch code {
	case "NotAuthorizedException", "UserNotFoundException", "InvalidPasswordException":
		return fmt.Errorf("portal: %s: %w: Cognito rejected the username or password", what, ErrAuth)
	case "PasswordResetRequiredException":
		return fmt.Errorf("portal: %s: %w: the portal asks for a password reset: reset it at the attendee portal in a browser, then try again", what, ErrAuth)
	case "UserNotConfirmedException":
		return fmt.Errorf("portal: %s: %w: the portal account is not confirmed yet: finish registering at the attendee portal, then try again", what, ErrAuth)
	case "TooManyRequestsException", "LimitExceededException":
		return fmt.Errorf("portal: %s: %w: Cognito is throttling requests (%s)", what, ErrUnavailable, code)
	}
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500 || apiErr.ErrorFault() == smithy.FaultServer {
		return fmt.Errorf("portal: %s: %w: Cognito failed (%s)", what, ErrUnavailable, code)
	}
	return fmt.Errorf("portal: %s: %w: Cognito: %s: %s", what, ErrAuth, code, apiErr.ErrorMessage())
}
