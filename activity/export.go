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

// RosterCSV is the roster as a spreadsheet (UTF-8 with a byte-order mark,
// so spreadsheet programs read æ, ø and å). Times are local
// (Europe/Copenhagen). Contact details are not included: they need the
// participant's consent (privacy capability).
func (s *Service) RosterCSV(ctx context.Context, p auth.Principal, activityID, sessionID string) ([]byte, error) {
	r, err := s.Roster(ctx, p, activityID, sessionID)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"Status", "Venteliste-nr.", "Navn", "Tilmeldt"})
	for _, group := range [][]RosterEntry{r.Confirmed, r.Waitlist, r.AwaitingApproval} {
		for _, e := range group {
			pos := ""
			if e.WaitlistPosition > 0 {
				pos = strconv.Itoa(e.WaitlistPosition)
			}
			_ = w.Write([]string{statusDa[e.Status], pos, SafeCell(e.Name), e.SignedUpAt.In(Copenhagen()).Format(time.DateTime)})
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
