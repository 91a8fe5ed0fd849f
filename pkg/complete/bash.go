package complete

import (
	"io"
	"strings"
)

// BashCommas returns the bash completion script that cobra writes for
// the command name, changed so that a value with a comma completes
// (docs/completion.md, "Bash and commas"): the script quotes each value
// with printf %q to compare it with the word typed, and bash 5.2's %q
// escapes a comma ("SVS401\,ARC302"), so no value of a comma list ever
// matched what was typed. A comma is literal outside braces; the changed
// script leaves it as it is. ok is false when the script has none of the
// places to change, as a script of another cobra might not.
func BashCommas(script, name string) (changed string, ok bool) {
	quote := "__" + name + "_quote"
	r := strings.NewReplacer(
		`printf -v comp "%q" "${compline%%$tab*}" &>/dev/null || comp=$(printf "%q" "${compline%%$tab*}")`,
		`printf -v comp "%q" "${compline%%$tab*}"; comp=${comp//\\,/,}`,
		`<(printf "%q\n" `, `<(`+quote+` "%q\n" `,
		`$(printf "%q" `, `$(`+quote+` "%q" `,
	)
	changed = r.Replace(script)
	if changed == script || strings.Contains(changed, `printf "%q`) {
		return script, false
	}
	return changed + "\n# " + quote + " is printf with commas left as they are (reinvent: docs/completion.md).\n" +
		quote + "() {\n    local q\n    printf -v q \"$@\"\n    printf '%s' \"${q//\\\\,/,}\"\n}\n", true
}

// WriteBash writes to w the bash completion script that gen writes
// (cobra's, for the command name), changed by BashCommas.
func WriteBash(w io.Writer, name string, gen func(io.Writer) error) error {
	var b strings.Builder
	if err := gen(&b); err != nil {
		return err
	}
	script, _ := BashCommas(b.String(), name)
	_, err := io.WriteString(w, script)
	return err
}
