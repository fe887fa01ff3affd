package activity

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/models"
)

// statusDa names a roster status in Danish, for the coordinators' sheet.
var statusDa = map[models.EnrollmentStatus]string{
	models.StatusConfirmed:        "Bekræftet",
	models.StatusWaitlisted:       "Venteliste",
	models.StatusAwaitingApproval: "Afventer godkendelse",
}

// markDa names an attendance mark in Danish, for the coordinators' sheet.
var markDa = map[models.AttendanceMark]string{
	models.MarkAttended: "Mødt",
	models.MarkNoShow:   "Ikke mødt",
	models.MarkExcused:  "Afbud",
}

// RosterCSV is the roster as a spreadsheet (UTF-8 with a byte-order mark,
// so spreadsheet programs read æ, ø and å): one row a person, one column a
// session with their mark, and for a course with a completion minimum
// whether they completed it. Times are local (Europe/Copenhagen). Contact
// details are not included: they need the participant's consent (privacy
// capability).
func (s *Service) RosterCSV(ctx context.Context, p auth.Principal, activityID, sessionID string) ([]byte, error) {
	r, err := s.Roster(ctx, p, activityID, sessionID)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	head := []string{"Status", "Venteliste-nr.", "Navn", "Tilmeldt"}
	for _, ss := range r.Sessions {
		col := ss.StartsAt.In(Copenhagen()).Format("02-01-2006 15.04")
		if ss.State == models.StateCancelled {
			col += " (aflyst)"
		}
		head = append(head, col)
	}
	course := r.CompletionMinSessions > 0 && r.SessionID == ""
	if course {
		head = append(head, "Gennemført")
	}
	_ = w.Write(head)
	for _, group := range [][]RosterEntry{r.Confirmed, r.Waitlist, r.AwaitingApproval} {
		for _, e := range group {
			pos := ""
			if e.WaitlistPosition > 0 {
				pos = strconv.Itoa(e.WaitlistPosition)
			}
			row := []string{statusDa[e.Status], pos, SafeCell(e.Name), e.SignedUpAt.In(Copenhagen()).Format(time.DateTime)}
			bySession := map[string]models.AttendanceMark{}
			for _, m := range e.Attendance {
				bySession[m.SessionID] = m.Mark
			}
			for _, ss := range r.Sessions {
				row = append(row, markDa[bySession[ss.ID]])
			}
			if course {
				done := ""
				if e.Completed != nil {
					done = map[bool]string{true: "Ja", false: "Nej"}[*e.Completed]
				}
				row = append(row, done)
			}
			_ = w.Write(row)
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// SafeCell keeps a cell from being read as a formula by a spreadsheet
// (CSV injection): a leading =, +, -, @, tab or carriage return is quoted.
// Every CSV export passes its free-text cells through it.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
