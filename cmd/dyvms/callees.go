package main

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	dyvms "github.com/dyvms/dyvms-go"
)

// readCalleesCSV reads CreateCallTask's callee list from a CSV file (path
// "-" reads stdin). The header row names the columns: the first is the
// called number (any name, "callee" say) and the others are the template
// variables, in order; each further row is one number and its values:
//
//	callee,name,code
//	13900001234,Zhang San,1234
//
// Errors name the file and line. When progress is non-nil it shows a
// running count there.
func readCalleesCSV(path string, stdin io.Reader, progress io.Writer) (dyvms.CallTaskData, error) {
	var data dyvms.CallTaskData
	var in io.Reader = stdin
	name := "stdin"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return data, fmt.Errorf("--callees-csv: %v", err)
		}
		defer f.Close()
		in, name = f, path
	}
	r := csv.NewReader(bufio.NewReaderSize(in, 64<<10))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return data, fmt.Errorf("--callees-csv: %s is empty; its first row names the columns, e.g. callee,name,code", name)
	}
	if err != nil {
		return data, fmt.Errorf("--callees-csv: %s: %v", name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a spreadsheet's byte-order mark
	seen := map[string]bool{}
	for i, h := range header[1:] {
		h = strings.TrimSpace(h)
		if h == "" {
			return data, fmt.Errorf("--callees-csv: %s line 1: column %d has no name", name, i+2)
		}
		if seen[h] {
			return data, fmt.Errorf("--callees-csv: %s line 1: column %q appears twice", name, h)
		}
		seen[h] = true
		data.ParamNames = append(data.ParamNames, h)
	}
	p := newProgress(progress, "read %d callees")
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return data, fmt.Errorf("--callees-csv: %s: %v", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return data, fmt.Errorf("--callees-csv: %s line %d: %d fields, but the header has %d", name, line, len(rec), len(header))
		}
		callee := strings.TrimSpace(rec[0])
		if !isPhoneNumber(callee) {
			return data, fmt.Errorf("--callees-csv: %s line %d: callee %q is not a phone number (digits, optionally a leading +)", name, line, callee)
		}
		params := make([]string, len(rec)-1)
		for i, v := range rec[1:] {
			params[i] = strings.TrimSpace(v)
		}
		data.CalleeList = append(data.CalleeList, dyvms.CallTaskCallee{Callee: callee, Params: params})
		p.update(len(data.CalleeList))
	}
	p.done(len(data.CalleeList))
	if len(data.CalleeList) == 0 {
		return data, fmt.Errorf("--callees-csv: %s has a header but no callees", name)
	}
	return data, nil
}

// isPhoneNumber reports whether s is 3 to 20 digits, optionally after a
// '+'.
func isPhoneNumber(s string) bool {
	s = strings.TrimPrefix(s, "+")
	if len(s) < 3 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
