package cognitolocal

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the emulator exit when the test binary dies, so a
// killed test run leaves no node process behind.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
