package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jobbanken/jobkunde/models"
)

// benchWork is a participant with a year of work on a real server whose
// database commands are counted: an employment since 5 January, hours three
// days a week up to today and a payslip for every finished month.
type benchWork struct {
	*benchActivities
	participant, participantID, employmentID string
	counselor                                string   // the participant's counselor's access token
	dates                                    []string // the days with hours
}

func workServer(b *testing.B) *benchWork {
	b.Helper()
	ba := activityServer(b)
	var admin session
	login := fmt.Sprintf(`{"login":"admin@bench.example","password":%q}`, testPassword)
	if err := json.Unmarshal(post(b, http.DefaultClient, ba.base+"/v1/auth/login", login), &admin); err != nil {
		b.Fatal(err)
	}
	activate := func(code, login string) session {
		var s session
		body := fmt.Sprintf(`{"code":%q,"login":%q,"password":%q}`, code, login, testPassword)
		benchSend(b, http.MethodPost, ba.base+"/v1/auth/activate", "", body, http.StatusOK, &s)
		return s
	}
	var c created
	benchSend(b, http.MethodPost, ba.base+"/v1/staff", admin.AccessToken,
		fmt.Sprintf(`{"role":"counselor","name":"Mette","email":"mette@bench.example","departmentId":%q}`, ba.deptID), http.StatusCreated, &c)
	counselor := activate(c.ActivationCode.Code, "mette@bench.example")
	benchSend(b, http.MethodPost, ba.base+"/v1/participants", counselor.AccessToken, `{"name":"Anna"}`, http.StatusCreated, &c)
	w := &benchWork{benchActivities: ba, participantID: c.Account.ID, counselor: counselor.AccessToken}
	w.participant = activate(c.ActivationCode.Code, "anna@bench.example").AccessToken

	loc := models.Copenhagen()
	today := testNow().In(loc)
	start := time.Date(today.Year(), 1, 5, 0, 0, 0, 0, loc)
	p := ba.base + "/v1/participants/" + w.participantID
	var emp struct{ ID string }
	benchSend(b, http.MethodPost, p+"/employments", w.participant, fmt.Sprintf(
		`{"company":{"name":"Netto"},"type":"wage_subsidy","startDate":%q,"hourlyWageOre":14250,"weeklyHours":12}`,
		start.Format(time.DateOnly)), http.StatusCreated, &emp)
	w.employmentID = emp.ID
	for d := start; !d.After(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Monday && wd != time.Wednesday && wd != time.Friday {
			continue
		}
		w.dates = append(w.dates, d.Format(time.DateOnly))
		benchSend(b, http.MethodPost, p+"/hours", w.participant,
			fmt.Sprintf(`{"date":%q,"hours":4,"employmentId":%q}`, d.Format(time.DateOnly), emp.ID), http.StatusCreated, nil)
	}
	for m := time.January; m < today.Month(); m++ {
		benchSend(b, http.MethodPost, p+"/payslips", w.participant,
			fmt.Sprintf(`{"employmentId":%q,"month":"%04d-%02d","grossOre":740000,"hours":52}`, emp.ID, today.Year(), m), http.StatusCreated, nil)
	}
	return w
}

// BenchmarkPensionStatus measures GET …/pension-status for a participant
// with a year of hours and payslips, with 8 concurrent clients.
func BenchmarkPensionStatus(b *testing.B) {
	w := workServer(b)
	url := w.base + "/v1/participants/" + w.participantID + "/pension-status"
	w.cmds.Store(0)
	runLatency(b, 8, benchGet(b, w.participant, func() string { return url }))
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}

// BenchmarkCounselorPensionStatus is BenchmarkPensionStatus by the
// participant's counselor: the same read plus its access-log line (a
// staff read of participant data), with 8 concurrent clients.
func BenchmarkCounselorPensionStatus(b *testing.B) {
	w := workServer(b)
	url := w.base + "/v1/participants/" + w.participantID + "/pension-status"
	w.cmds.Store(0)
	runLatency(b, 8, benchGet(b, w.counselor, func() string { return url }))
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}

// BenchmarkExportMyData measures GET /v1/me/data-export for the same
// participant (a year of hours and payslips, their consents and access
// log), with 4 concurrent clients.
func BenchmarkExportMyData(b *testing.B) {
	w := workServer(b)
	url := w.base + "/v1/me/data-export"
	w.cmds.Store(0)
	runLatency(b, 4, benchGet(b, w.participant, func() string { return url }))
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}

// BenchmarkLogHours measures POST …/hours (validation, the insert, the
// week's agreed-hours check and the pension thresholds) for the same
// participant, a quarter hour on one of the year's working days at a time,
// with 4 concurrent clients.
func BenchmarkLogHours(b *testing.B) {
	w := workServer(b)
	url := w.base + "/v1/participants/" + w.participantID + "/hours"
	var next atomic.Int64
	w.cmds.Store(0)
	runLatency(b, 4, func(c *http.Client) {
		date := w.dates[int(next.Add(1))%len(w.dates)]
		benchSendWith(b, c, http.MethodPost, url, w.participant,
			fmt.Sprintf(`{"date":%q,"hours":0.25,"employmentId":%q}`, date, w.employmentID), http.StatusCreated)
	})
	b.ReportMetric(float64(w.cmds.Load())/float64(b.N), "db-cmds/request")
}

// benchSendWith sends one request on c and reports (b.Errorf, safe from
// runLatency's workers) an answer other than want.
func benchSendWith(b *testing.B, c *http.Client, method, url, token, body string, want int) {
	hr, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		b.Error(err)
		return
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+token)
	res, err := c.Do(hr)
	if err != nil {
		b.Error(err)
		return
	}
	out, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Errorf("%s %s: %d %s", method, hr.URL.Path, res.StatusCode, out)
	}
}
