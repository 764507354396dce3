package kestratest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kestra-go/kestra-go/internal/javatime"
	"github.com/kestra-go/kestra-go/kestratest/internal/domain"
	"github.com/kestra-go/kestra-go/kestratest/internal/flowdef"
)

// rawInput is one multipart part of a createExecution request.
type rawInput struct {
	value    string
	isFile   bool
	filename string
	data     []byte
}

// resolveInputs validates and converts the given inputs against the flow's
// declarations as FlowInputOutput does on the server: missing required
// inputs and unconvertible values are 422 errors; FILE parts are stored and
// replaced by a kestra:// URI; parts for undeclared inputs are ignored and
// reported in warnings (the server logs them at WARN in the execution).
func resolveInputs(ts *tenantStore, f *flowDef, execID string, given map[string]rawInput) (map[string]any, []string, error) {
	out := map[string]any{}
	var warnings []string
	var problems []domain.Problem
	declared := map[string]bool{}
	for _, in := range f.Inputs {
		declared[in.ID] = true
		raw, ok := given[in.ID]
		var val any
		var err error
		switch {
		case ok && in.Type == "FILE" && raw.isFile:
			uri := fmt.Sprintf("kestra:///%s/%s/executions/%s/inputs/%s/%s",
				strings.ReplaceAll(f.Namespace, ".", "/"), f.ID, execID, in.ID, path.Base(raw.filename))
			ts.putFile(uri, raw.data)
			val = uri
		case ok:
			s := raw.value
			if raw.isFile {
				s = string(raw.data)
			}
			val, err = convertInput(in.Type, in.ItemType, in.Values, s)
		case in.HasDefaults:
			val, err = convertDefault(in, in.Defaults)
		case in.Required:
			problems = append(problems, domain.Problem{Detail: "Missing required input:" + in.ID, Pointer: "/" + in.ID, Path: "inputs." + in.ID})
			continue
		default:
			continue
		}
		if err != nil {
			problems = append(problems, domain.Problem{
				Detail:  fmt.Sprintf("Invalid value for input `%s`. Cause: %s", in.ID, err.Error()),
				Pointer: "/" + in.ID, Path: "inputs." + in.ID,
			})
			continue
		}
		out[in.ID] = val
	}
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Detail
		}
		return nil, nil, domain.InvalidEntity(strings.Join(msgs, ", "), problems)
	}
	for id := range given {
		if !declared[id] {
			warnings = append(warnings, fmt.Sprintf("Input %s was provided for workflow %s.%s but isn't declared in the workflow inputs", id, f.Namespace, f.ID))
		}
	}
	return out, warnings, nil
}

// convertDefault converts a YAML default: strings are parsed as the
// server parses request values; typed YAML values are kept.
func convertDefault(in flowdef.Input, d any) (any, error) {
	if s, ok := d.(string); ok {
		return convertInput(in.Type, in.ItemType, in.Values, s)
	}
	switch in.Type {
	case "DATETIME", "DATE", "TIME":
		if t, ok := d.(time.Time); ok {
			return convertInput(in.Type, "", nil, t.UTC().Format(time.RFC3339Nano))
		}
	}
	return d, nil
}

// convertInput converts a request string by input type (FlowInputOutput.parseType).
// Error messages are the Java exception messages the server puts after "Cause: ".
func convertInput(typ, itemType string, values []string, s string) (any, error) {
	switch typ {
	case "", "STRING", "EMAIL", "SECRET":
		return s, nil
	case "ENUM", "SELECT":
		if len(values) > 0 {
			for _, v := range values {
				if v == s {
					return s, nil
				}
			}
			return nil, fmt.Errorf("it must match the values `[%s]`", strings.Join(values, ", "))
		}
		return s, nil
	case "INT":
		n, err := strconv.ParseInt(s, 10, 32) // Integer.valueOf: decimal, optional sign, 32 bits
		if err != nil || strings.HasPrefix(s, "+-") {
			return nil, javaError(fmt.Sprintf("For input string: %q", s))
		}
		return n, nil
	case "FLOAT":
		f, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimRight(s, "fFdD")), 32)
		if err != nil {
			return nil, javaError(fmt.Sprintf("For input string: %q", s))
		}
		return f, nil
	case "BOOLEAN", "BOOL":
		return strings.EqualFold(s, "true"), nil
	case "DATETIME":
		t, err := javatime.ParseInstant(s) // Instant.parse
		if err != nil {
			return nil, javaError(fmt.Sprintf("Text '%s' could not be parsed", s))
		}
		return javatime.FormatInstant(t), nil
	case "DATE":
		if _, err := time.Parse("2006-01-02", s); err != nil {
			return nil, javaError(fmt.Sprintf("Text '%s' could not be parsed", s))
		}
		return s, nil
	case "TIME":
		for _, layout := range []string{"15:04:05.999999999", "15:04"} {
			if _, err := time.Parse(layout, s); err == nil {
				return s, nil
			}
		}
		return nil, javaError(fmt.Sprintf("Text '%s' could not be parsed", s))
	case "DURATION":
		d, err := javatime.ParseDuration(s) // Duration.parse
		if err != nil {
			return nil, javaError(fmt.Sprintf("Text '%s' cannot be parsed to a Duration", s))
		}
		return d.String(), nil
	case "JSON":
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			return nil, fmt.Errorf("invalid JSON: %v", err)
		}
		return v, nil
	case "YAML":
		var v any
		if err := yaml.Unmarshal([]byte(s), &v); err != nil {
			return nil, fmt.Errorf("invalid YAML: %v", err)
		}
		return flowdef.NormalizeYAML(v), nil
	case "ARRAY", "MULTISELECT":
		var list []any
		if err := json.Unmarshal([]byte(s), &list); err != nil {
			return nil, fmt.Errorf("invalid JSON array: %v", err)
		}
		if itemType != "" && itemType != "STRING" {
			for i, item := range list {
				str, ok := item.(string)
				if !ok {
					str = strings.TrimSpace(string(mustJSON(item)))
				}
				v, err := convertInput(itemType, "", nil, str)
				if err != nil {
					return nil, err
				}
				list[i] = v
			}
		}
		if typ == "MULTISELECT" && len(values) > 0 {
			for _, item := range list {
				if _, err := convertInput("ENUM", "", values, fmt.Sprint(item)); err != nil {
					return nil, err
				}
			}
		}
		return list, nil
	case "URI":
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" {
			return nil, javaError("Invalid URI format")
		}
		return s, nil
	case "FILE":
		for _, p := range []string{"kestra://", "nsfile://", "http://", "https://"} {
			if strings.HasPrefix(s, p) {
				return s, nil
			}
		}
		return nil, fmt.Errorf("kestratest only accepts FILE inputs as file parts or kestra://, nsfile://, http(s):// URIs, got %q", s)
	}
	// Other types are kept as text (documented difference).
	return s, nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// javaError carries the message of the Java exception the server reports
// after "Cause: " (capitalised, as Java writes it).
type javaError string

func (e javaError) Error() string { return string(e) }
