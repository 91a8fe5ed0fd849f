package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/reinvent-cli/reinvent/internal/testenv"
)

// bashCompletion is the file of bash-completion's functions, which the
// script cobra writes for bash calls (_get_comp_words_by_ref).
const bashCompletion = "/usr/share/bash-completion/bash_completion"

// shellCases are command lines as a user types them before Tab, and what
// the shell must offer then, on the embedded sample catalog.
var shellCases = []struct {
	line string // what is typed; the last word is the one completed
	want []string
}{
	{"reinvent sea", []string{"search"}},
	{"reinvent schedule --source sa", []string{"sample"}},
	{"reinvent schedule --source sample --format j", []string{"json"}},
	{"reinvent schedule --source sample SVS40", []string{"SVS401"}},
	{"reinvent search --source sample --day tu", []string{"tue"}},
	{"reinvent show --source sample SVS401,ARC30", []string{"SVS401,ARC302"}},
	// One match: what bash puts on the line, as it is, the comma unescaped.
	{"reinvent show --source sample SVS401,ARC302-R1", []string{"SVS401,ARC302-R1"}},
}

// completionScript writes reinvent completion SHELL to a file and returns
// its path, and the PATH with the binary on it, as an installed reinvent.
func completionScript(t *testing.T, shell string) (script, path string) {
	t.Helper()
	out, errOut, code := run(t, "completion", shell)
	if code != 0 {
		t.Fatalf("completion %s: exit %d: %s", shell, code, errOut)
	}
	script = filepath.Join(t.TempDir(), "reinvent."+shell)
	if err := os.WriteFile(script, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	return script, filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")
}

// TestBashCompletes: bash itself, with bash-completion and the script of
// reinvent completion bash sourced, offers what a user wants at Tab:
// commands, flag values, codes from the catalog, a comma list going on.
func TestBashCompletes(t *testing.T) {
	if err := testenv.Ensure("the bash completion test", []string{"bash"}, "bash"); err != nil {
		t.Fatal(err)
	}
	if err := testenv.EnsureFile("the bash completion test", []string{bashCompletion}, "bash-completion"); err != nil {
		t.Fatal(err)
	}
	script, path := completionScript(t, "bash")
	for _, tt := range shellCases {
		words := strings.Fields(tt.line)
		// What bash sets before it calls the function complete -F names:
		// the words, the index of the one completed, the line and the
		// cursor at its end; $1 the command, $2 the word, $3 the one before.
		prog := `source "$1"; source "$2"
COMP_LINE="$3"; COMP_POINT=${#COMP_LINE}; read -r -a COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
__start_reinvent reinvent "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := command(t, "x")
		cmd.Path, cmd.Args = "/bin/bash", []string{"bash", "-c", prog, "bash", bashCompletion, script, tt.line}
		cmd.Env = append(cmd.Env, "PATH="+path)
		out, errOut, code := runCmd(t, cmd)
		got := strings.Fields(out)
		if code != 0 || !containsAll(got, tt.want) {
			t.Errorf("bash, %q<Tab> (word %q): offered %q, want %q among them; exit %d %s", tt.line, words[len(words)-1], got, tt.want, code, errOut)
		}
	}
}

// TestFishCompletes: fish, with the script of reinvent completion fish
// sourced, offers the same, each value with its description after a tab.
func TestFishCompletes(t *testing.T) {
	if err := testenv.Ensure("the fish completion test", []string{"fish"}, "fish"); err != nil {
		t.Fatal(err)
	}
	script, path := completionScript(t, "fish")
	for _, tt := range shellCases {
		cmd := command(t, "x")
		fish, err := exec.LookPath("fish")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Path, cmd.Args = fish, []string{"fish", "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tt.line}
		cmd.Env = append(cmd.Env, "PATH="+path)
		out, errOut, code := runCmd(t, cmd)
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			value, _, _ := strings.Cut(l, "\t")
			got = append(got, value)
		}
		if code != 0 || !containsAll(got, tt.want) {
			t.Errorf("fish, %q<Tab>: offered %q, want %q among them; exit %d %s", tt.line, got, tt.want, code, errOut)
		}
	}
}

// containsAll reports whether got holds every one of want.
func containsAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}
