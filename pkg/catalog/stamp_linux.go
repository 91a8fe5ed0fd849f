package catalog

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// sysStamp is the device, inode and change time of a file, and the change
// time alone.
func sysStamp(fi os.FileInfo) (string, time.Time) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return "", time.Time{}
	}
	ctime := time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	return fmt.Sprintf("%d %d %d", st.Dev, st.Ino, ctime.UnixNano()), ctime
}
