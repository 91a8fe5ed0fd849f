package settings

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadFile reads the config file (docs/configuration.md): given (--config)
// when set, else $REINVENT_CONFIG, else config.yaml in the user's
// configuration directory. Only that default may be missing: then data is
// nil and err too. A file named by the user that cannot be read is an error.
func ReadFile(given string, getenv func(string) string) (path string, data []byte, err error) {
	path, explicit := given, true
	if path == "" {
		path = getenv("REINVENT_CONFIG")
	}
	if path == "" {
		explicit = false
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", nil, nil
		}
		path = filepath.Join(dir, "reinvent", "config.yaml")
	}
	data, err = os.ReadFile(path)
	switch {
	case err == nil:
		return path, data, nil
	case explicit || !errors.Is(err, fs.ErrNotExist):
		return path, nil, fmt.Errorf("config file: %w; check --config or REINVENT_CONFIG", err)
	}
	return path, nil, nil
}

// Origin names where the value of the setting name came from, for
// messages: "--name" when it was typed as a flag, its environment variable
// when that is set, "config file PATH:LINE: name" when the file at path
// has it at a line of lines, else name itself.
func Origin(name string, typed bool, getenv func(string) string, path string, lines map[string]int) string {
	switch l, inFile := lines[name]; {
	case typed:
		return "--" + name
	case getenv(EnvName(name)) != "":
		return EnvName(name)
	case inFile:
		return fmt.Sprintf("config file %s:%d: %s", path, l, name)
	}
	return name
}
