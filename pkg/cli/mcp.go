package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/reinvent-cli/reinvent/internal/buildinfo"
	"github.com/reinvent-cli/reinvent/pkg/mcpserver"
	"github.com/reinvent-cli/reinvent/pkg/setup"
)

// MCPOptions are the inputs of reinvent mcp.
type MCPOptions struct {
	setup.Deps
	// Run are mcpserver.Serve's options, which the flags set.
	Run mcpserver.Options
}

// NewCmdMCP returns the mcp command.
func NewCmdMCP(f *Factory, runF func(context.Context, *MCPOptions) error) *cobra.Command {
	opts := &MCPOptions{Deps: f.Deps()}
	cmd := &cobra.Command{
		Use:   "mcp [--allow-writes]",
		Short: "Serve search, the exact planner and your schedule to AI assistants (MCP, stdio)",
		Long: `Run an MCP server on standard input and output, for an AI assistant (Claude
Desktop, VS Code, Kiro, Amazon Q Developer CLI) to start: its tools search the
catalog, plan the best schedule exactly as reinvent schedule does, find what else
fits, and read the seats you hold. It runs until standard input closes.

--allow-writes adds reserve_sessions, favorite_sessions and cancel_reservation,
which write to the AWS Events API (--source events-api, after reinvent login)
only when a call says confirm: true, through the store's journal as reserve,
favorite and cancel do; without it they say what they would write.

Results are JSON of at most 20,000 characters; long lists come in pages. Logs go
to standard error; standard output is the protocol's. docs/mcp.md has each tool
and the configuration of each assistant.`,
		Example: `  # Try it on the embedded sample catalog
  reinvent mcp --source sample

  # Let the assistant reserve, on your account
  reinvent login
  reinvent mcp --allow-writes`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Run.AllowWrites && f.Config.Source != "events-api" {
				return usageErrorf("--allow-writes writes to the AWS Events API, and --source is %q: use --source events-api after reinvent login, or leave out --allow-writes", f.Config.Source)
			}
			if err := opts.Run.Plan.Plan.Check(); err != nil {
				return usageError(err)
			}
			opts.Logger, opts.Run.Version = f.Logger, buildinfo.Version(f.Version)
			return runCommand(cmd.Context(), opts, runF, mcpRun)
		},
	}
	cmd.Flags().BoolVar(&opts.Run.AllowWrites, "allow-writes", false, "offer the tools that reserve, favorite and cancel on the AWS Events API (each writes only with confirm: true)")
	planFlags(cmd.Flags(), &opts.Run.Plan, "travel", "unknown-travel", "time-limit")
	addSourceFlags(f, cmd)
	return cmd
}

func mcpRun(ctx context.Context, opts *MCPOptions) error {
	src, err := opts.Source()
	if err != nil {
		return err
	}
	so := opts.Run
	so.Event, so.Location, so.Logger = opts.Config.EventFor("events-api"), opts.Config.Location, opts.Logger
	return mcpserver.Serve(ctx, opts.MCP(src), so, opts.IO.In, opts.IO.Out)
}
