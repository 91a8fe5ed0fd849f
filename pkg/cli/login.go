package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/cli/browser"
	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/pkg/catalog/eventsapi"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// LoginOptions are the inputs of reinvent login.
type LoginOptions struct {
	setup.Deps

	NoBrowser bool
	Port      int
}

// NewCmdLogin returns the login command.
func NewCmdLogin(f *Factory, runF func(context.Context, *LoginOptions) error) *cobra.Command {
	opts := &LoginOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "login [--no-browser] [--port N]",
		Short: "Sign in to the AWS Events API with AWS Builder ID",
		Long: `Sign in to the official AWS Events API with your AWS Builder ID, so that
--source events-api can read and change your starred and reserved sessions.

The sign-in runs in your browser, answering on http://127.0.0.1:PORT/callback
(the first free port of 8484-8489); the tokens are kept beside the store.
Over ssh, --no-browser prints the URL to open elsewhere. docs/events-api.md has
the details.`,
		Example: `  reinvent login

  # Over ssh: print the URL, sign in on your own machine, paste back the address
  # of the page that fails to load
  reinvent login --no-browser

  # Or forward the callback's port from your own machine first
  ssh -N -L 8484:127.0.0.1:8484 server &    # on your machine
  reinvent login --no-browser --port 8484   # on the server`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Port != 0 && (opts.Port < 1 || opts.Port > 65535) {
				return usageErrorf("--port must be between 1 and 65535, got %d", opts.Port)
			}
			return runCommand(cmd.Context(), opts, runF, loginRun)
		},
	}
	cmd.Flags().BoolVar(&opts.NoBrowser, "no-browser", false, "print the sign-in URL instead of opening a browser, for a browser on another machine")
	cmd.Flags().IntVar(&opts.Port, "port", 0, "callback port (default: the first free one of 8484-8489)")
	f.settings.addTo(cmd.Flags(), "oauth-url", "oauth-client-id")
	return cmd
}

func loginRun(ctx context.Context, opts *LoginOptions) error {
	tf, err := opts.TokenFile()
	if err != nil {
		return err
	}
	l := &eventsapi.Login{OAuthURL: opts.Config.OAuthURL, ClientID: opts.Config.OAuthClientID, Port: opts.Port,
		Out: opts.IO.ErrOut, Paste: opts.IO.In}
	if !opts.NoBrowser {
		browser.Stdout, browser.Stderr = io.Discard, io.Discard
		l.OpenURL = browser.OpenURL
	}
	t, err := l.Run(ctx)
	if err != nil {
		return &ExitError{Code: ExitAuth, Err: fmt.Errorf("sign in: %w", err)}
	}
	if err := tf.Save(t); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Signed in to the AWS Events API; tokens saved in %s\n", tf.Path)
	return nil
}

// LogoutOptions are the inputs of reinvent logout.
type LogoutOptions struct {
	setup.Deps
}

// NewCmdLogout returns the logout command.
func NewCmdLogout(f *Factory, runF func(context.Context, *LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Revoke and delete the stored AWS Events API tokens",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Logger = f.Logger
			return runCommand(cmd.Context(), opts, runF, logoutRun)
		},
	}
	f.settings.addTo(cmd.Flags(), "oauth-url", "oauth-client-id")
	return cmd
}

func logoutRun(ctx context.Context, opts *LogoutOptions) error {
	tf, err := opts.TokenFile()
	if err != nil {
		return err
	}
	signedIn, err := eventsapi.SignOut(ctx, tf, opts.Config.OAuthURL, opts.Config.OAuthClientID, func(err error) {
		opts.Logger.Warn("could not revoke the refresh token; deleting it anyway", "err", err)
	})
	if err != nil {
		return err
	}
	if !signedIn {
		fmt.Fprintln(opts.IO.ErrOut, "Not signed in to the AWS Events API.")
		return nil
	}
	fmt.Fprintln(opts.IO.ErrOut, "Signed out of the AWS Events API; tokens deleted.")
	return nil
}
