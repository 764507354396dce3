package main

import (
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kestra-go/kestra-go/facade"
)

// parseInputs turns the repeated -i key=value and -f key=PATH flags into
// facade inputs. Files are opened here (a missing one is a usage error) and
// streamed by the facade; the caller closes them with the returned func.
func (a *app) parseInputs(values, files []string) (map[string]any, func(), error) {
	inputs := map[string]any{}
	var opened []*os.File
	closeAll := func() {
		for _, f := range opened {
			f.Close()
		}
	}
	for _, kv := range values {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, closeAll, usagef("--input %q: want key=value, e.g. --input name=Gopher (lists and maps as JSON: --input 'tags=[\"a\",\"b\"]')", kv)
		}
		if _, dup := inputs[k]; dup {
			return nil, closeAll, usagef("--input %s: the input %q is given twice", kv, k)
		}
		inputs[k] = v
	}
	stdinUsed := false
	for _, kp := range files {
		k, path, ok := strings.Cut(kp, "=")
		if !ok || k == "" || path == "" {
			return nil, closeAll, usagef("--file %q: want key=PATH, e.g. --file data=./data.csv, or key=- for stdin", kp)
		}
		if _, dup := inputs[k]; dup {
			return nil, closeAll, usagef("--file %s: the input %q is given twice", kp, k)
		}
		if path == "-" {
			if stdinUsed {
				return nil, closeAll, usagef("--file %s: stdin (-) can feed only one file input", kp)
			}
			stdinUsed = true
			inputs[k] = facade.File{Name: k, Reader: a.stdin, ContentType: "application/octet-stream"}
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, closeAll, usagef("--file %s: %v: give the path of a readable file, or - for stdin", kp, shortPathError(err))
		}
		opened = append(opened, f)
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, closeAll, usagef("--file %s: %s is a directory: give the path of a file", kp, path)
		}
		ct := mime.TypeByExtension(filepath.Ext(path))
		if ct == "" {
			ct = "application/octet-stream"
		}
		inputs[k] = facade.File{Name: filepath.Base(path), Reader: f, ContentType: ct}
	}
	return inputs, closeAll, nil
}

// shortPathError drops the operation from an *os.PathError ("open x: no such
// file or directory" -> "x: no such file or directory").
func shortPathError(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

// parseLabels turns the repeated -l key:value flags into key, value pairs
// for facade.WithLabels or a search. Keys starting with "system." are
// Kestra's: refused on a create (the server would refuse them), allowed in
// a search (to find an execution by its correlation label).
func parseLabels(flag string, labels []string, allowSystem bool) ([]string, error) {
	var kvs []string
	seen := map[string]bool{}
	for _, kv := range labels {
		k, v, ok := strings.Cut(kv, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "" || v == "":
			return nil, usagef("--%s %q: want key:value, e.g. --%s team:data", flag, kv, flag)
		case strings.HasPrefix(k, "system.") && !allowSystem:
			return nil, usagef("--%s %s: keys starting with \"system.\" are reserved for Kestra", flag, kv)
		case seen[k]:
			return nil, usagef("--%s %s: the label %q is given twice", flag, kv, k)
		}
		seen[k] = true
		kvs = append(kvs, k, v)
	}
	return kvs, nil
}

// oneOf checks a flag value against its allowed values.
func oneOf(flag, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return usagef("--%s %q: want %s", flag, value, strings.Join(allowed, ", "))
}

// exactArgs requires one argument per name, as a usage error.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(names) {
			plural := "s"
			if len(names) == 1 {
				plural = ""
			}
			return usageError(cmd, fmt.Errorf("%s takes %d argument%s (%s), got %d", cmd.CommandPath(), len(names), plural, strings.Join(names, " "), len(args)))
		}
		for i, a := range args {
			if a == "" {
				return usageError(cmd, fmt.Errorf("%s: %s is empty", cmd.CommandPath(), names[i]))
			}
		}
		return nil
	}
}

// noArgs refuses arguments, as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError(cmd, fmt.Errorf("%s takes no arguments, got %q", cmd.CommandPath(), args[0]))
	}
	return nil
}
