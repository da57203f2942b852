package outdir

import (
	"io/fs"
	"syscall"
)

// stampOf is what a change to a file alters: besides size and modification time (which a user
// can set back), the inode change time (which no user can) and the inode number.
func stampOf(info fs.FileInfo) (stamp, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return stamp{}, false
	}
	return stamp{
		Mode:  uint32(info.Mode().Type()),
		Size:  info.Size(),
		Mtime: info.ModTime().UnixNano(),
		Ctime: st.Ctim.Sec*1e9 + st.Ctim.Nsec,
		Ino:   st.Ino,
	}, true
}
