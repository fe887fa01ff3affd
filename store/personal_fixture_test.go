package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/jobbanken/jobkunde/accounts"
	"github.com/jobbanken/jobkunde/activity"
	"github.com/jobbanken/jobkunde/auth"
	"github.com/jobbanken/jobkunde/availability"
	"github.com/jobbanken/jobkunde/checkin"
	"github.com/jobbanken/jobkunde/messaging"
	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/pension"
	"github.com/jobbanken/jobkunde/plan"
	"github.com/jobbanken/jobkunde/store"
	"github.com/jobbanken/jobkunde/store/storetest"
	"github.com/jobbanken/jobkunde/work"
)

// fakeIssuer signs nothing: the store tests need sessions, not JWTs.
type fakeIssuer struct{ now func() time.Time }

func (f fakeIssuer) Issue(c auth.Claims) (string, time.Time, error) {
	return "access-" + c.UserID, f.now().Add(10 * time.Minute), nil
}

// rawPNG is a valid PNG, one grey row whose pixels are the bytes of text,
// stored uncompressed and unfiltered: text appears in the file as is, so the
// dumps can find it (upload keeps such a PNG byte for byte).
func rawPNG(t *testing.T, text string) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, len(text), 1))
	copy(img.Pix, text)
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// person is what a filled world knows about one participant: their
// principal and every string of theirs that must be gone after erasure.
type person struct {
	p        auth.Principal
	login    string
	needles  []string // identifiers and texts of theirs (and IDs that lead to them)
	secrets  []string // password hash, push token, refresh token hash, calendar secret
	fileData []byte   // the bytes of their attachment
}

// personalWorld is a database with every capability filled for two
// participants, A (Zofia Quellbrand) and B, through the services.
type personalWorld struct {
	db         *mongo.Database
	st         *store.Store
	a, b       person
	activityID string // A holds its one seat, B waits behind
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// fillWorld builds the world. Every step goes through a capability's
// service where one exists; the store directly only for what privacy/ (on
// its way) or the jobs write.
func fillWorld(t *testing.T) *personalWorld {
	t.Helper()
	ctx := context.Background()
	db := storetest.DB(t)
	began, err := storetest.Start() // JOBKUNDE_TEST_NOW, else the real time
	if err != nil {
		t.Fatal(err)
	}
	now := storetest.Running(began)
	st := store.New(db, now)
	if err := st.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(st, fakeIssuer{now}, accounts.DefaultLimits, now, newID)
	act := activity.New(st, availability.New(st, now, newID), now, newID)
	base, err := pension.Default()
	if err != nil {
		t.Fatal(err)
	}
	rules := work.NewRuleBook(st, base, now, newID)
	wrk := work.New(st, rules, work.Config{InternshipMaxWeeks: 13}, now, newID)
	pl := plan.New(st, now, newID)
	av := availability.New(st, now, newID)
	msg := messaging.New(st, av, now, newID)
	notes := notifications.New(st, nil, notifications.Config{}, now, newID)
	chk := checkin.New(st, msg, now, newID)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	var admin models.User
	admin, err = acc.CreateAdmin(ctx, "Admin Person", "admin@example.dk", "a long admin password 1")
	must(err)
	as := auth.Principal{UserID: admin.ID, Role: models.RoleAdmin}
	dept, err := acc.CreateDepartment(ctx, as, "Herning")
	must(err)
	staff := func(role models.Role, name, email string) auth.Principal {
		u, code, err := acc.CreateStaff(ctx, as, accounts.NewStaff{Role: role, Name: name, Email: email, DepartmentID: dept.ID})
		must(err)
		_, err = acc.Activate(ctx, accounts.Activation{Code: code.Code, Login: email, Password: "a long staff password 1"}, "seed")
		must(err)
		return auth.Principal{UserID: u.ID, Role: role, DeptID: dept.ID}
	}
	c1 := staff(models.RoleCounselor, "Mette Vejleder", "mette@example.dk")
	c2 := staff(models.RoleCounselor, "Karsten Vejleder", "karsten@example.dk")
	coord := staff(models.RoleCoordinator, "Conny Koordinator", "conny@example.dk")

	w := &personalWorld{db: db, st: st}
	enrol := func(x *person, name, email, phone, login, tag string) {
		u, code, err := acc.Enroll(ctx, c1, accounts.NewParticipant{Name: name, Email: email, Phone: phone})
		must(err)
		x.p = auth.Principal{UserID: u.ID, Role: models.RoleParticipant, DeptID: dept.ID}
		x.login = login
		x.needles = append(x.needles, u.ID, name, email, phone, login, sha("login:"+login))
		s1, err := acc.Activate(ctx, accounts.Activation{Code: code.Code, Login: login, Password: "a long password for " + tag}, "seed")
		must(err)
		s2, err := acc.Refresh(ctx, s1.RefreshToken) // spends the first token
		must(err)
		must(acc.Logout(ctx, s2.RefreshToken)) // revokes the family
		_, err = acc.Login(ctx, login, "wrong password for "+tag, "10.0.0.1")
		if err == nil {
			t.Fatal("a wrong password logged in")
		}
		s3, err := acc.Login(ctx, login, "a long password for "+tag, "10.0.0.1")
		must(err)
		x.secrets = append(x.secrets, sha(s1.RefreshToken), sha(s2.RefreshToken), sha(s3.RefreshToken))
		stored, err := st.User(ctx, u.ID)
		must(err)
		x.secrets = append(x.secrets, stored.PasswordHash)
		rt, err := st.RefreshToken(ctx, sha(s3.RefreshToken))
		must(err)
		x.p.SessionID = rt.FamilyID
		x.needles = append(x.needles, rt.FamilyID)
		// A fresh code after activation: codes and code uses both exist.
		_, err = acc.ReissueCode(ctx, c1, u.ID)
		must(err)
		// The IDs that lead to them: their codes and session families.
		for _, col := range []string{"activation_codes", "refresh_tokens"} {
			cur, err := db.Collection(col).Find(ctx, bson.D{{Key: "userId", Value: u.ID}})
			must(err)
			var docs []struct {
				ID       string `bson:"_id"`
				FamilyID string `bson:"familyId"`
			}
			must(cur.All(ctx, &docs))
			for _, d := range docs {
				x.needles = append(x.needles, d.ID)
				if d.FamilyID != "" {
					x.needles = append(x.needles, d.FamilyID)
				}
			}
		}
	}
	enrol(&w.a, "Zofia Quellbrand", "zofia.quellbrand@example.dk", "+4531415926", "zofia.quellbrand@example.dk", "zofia")
	enrol(&w.b, "Bertil Brombær", "bertil@example.dk", "+4527182818", "+4527182818", "bertil")
	a, b := w.a.p, w.b.p
	_, err = acc.Reassign(ctx, c1, a.UserID, c2.UserID)
	must(err)
	_, err = acc.Reassign(ctx, c2, a.UserID, c1.UserID)
	must(err)

	// Activities: a catalogue activity both sign up for, one seat, so B
	// waits behind A; attendance for both; a calendar feed.
	start := now().Add(72 * time.Hour).Truncate(time.Hour)
	d, err := act.CreateActivity(ctx, coord, activity.Details{
		Kind: models.KindSport, Title: models.Text{Da: "Svømning"}, Location: "Svømmehallen", DepartmentID: dept.ID,
		Mode: models.ModeActivity, Capacity: 1,
	}, []activity.Times{{StartsAt: start, EndsAt: start.Add(time.Hour)}})
	must(err)
	w.activityID = d.ID
	ea, _, err := act.SignUp(ctx, a, d.ID, "")
	must(err)
	eb, _, err := act.SignUp(ctx, b, d.ID, "")
	must(err)
	sessions, err := st.Sessions(ctx, d.ID)
	must(err)
	ss := sessions[0]
	must(st.RecordAttendance(ctx, []models.Attendance{
		{ID: ss.ID + "/" + a.UserID, ActivityID: d.ID, SessionID: ss.ID, EnrollmentID: ea.ID, ParticipantID: a.UserID, Mark: models.MarkAttended, RecordedBy: coord.UserID, RecordedAt: now()},
		{ID: ss.ID + "/" + b.UserID, ActivityID: d.ID, SessionID: ss.ID, EnrollmentID: eb.ID, ParticipantID: b.UserID, Mark: models.MarkNoShow, RecordedBy: coord.UserID, RecordedAt: now()},
	}))
	for _, x := range []*person{&w.a, &w.b} {
		link, err := act.RotateCalendarFeed(ctx, x.p)
		must(err)
		x.secrets = append(x.secrets, link.Token, sha(link.Token))
	}

	// Work: an employment with consent, hours, a payslip, a profile, a
	// follow-up with notes, and an ended internship.
	today := now().In(models.Copenhagen())
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	for _, x := range []*person{&w.a, &w.b} {
		tag := x.login
		job, err := wrk.CreateEmployment(ctx, c1, x.p.UserID, work.EmploymentInput{
			Company: models.Company{Name: "Firma " + tag, ContactPerson: "Kontakt for " + tag}, Type: models.EmploymentWageSubsidy,
			StartDate: day(today.AddDate(0, 0, -20)), HourlyWageOre: 150_00, WeeklyHours: 10, TaskNotes: "Opgaver for " + tag,
		})
		must(err)
		_, err = wrk.SetEmployerContactConsent(ctx, x.p, x.p.UserID, job.ID, true, "")
		must(err)
		_, err = wrk.LogHours(ctx, x.p, x.p.UserID, work.HoursInput{Date: day(today), Hours: 4, EmploymentID: job.ID})
		must(err)
		_, err = wrk.RecordPayslip(ctx, c1, x.p.UserID, work.PayslipInput{EmploymentID: job.ID, Month: today.Format("2006-01"), GrossOre: 600_00, Hours: 4})
		must(err)
		_, err = wrk.UpdatePensionProfile(ctx, x.p, x.p.UserID, work.ProfileInput{Household: "couple", PartnerWorkIncomeKr: 123_456})
		must(err)
		fus, err := wrk.FollowUps(ctx, c1, x.p.UserID)
		must(err)
		if len(fus) == 0 {
			t.Fatal("no follow-ups generated")
		}
		_, err = wrk.UpdateFollowUp(ctx, c1, x.p.UserID, fus[0].ID, work.FollowUpChange{Note: "Opfølgningsnote om " + tag})
		must(err)
		_, err = wrk.UpdateFollowUp(ctx, c1, x.p.UserID, fus[0].ID, work.FollowUpChange{Note: "Intern note om " + tag, NoteInternal: true})
		must(err)
		intern, err := wrk.CreateEmployment(ctx, c1, x.p.UserID, work.EmploymentInput{
			Company: models.Company{Name: "Praktik " + tag}, Type: models.EmploymentInternship,
			StartDate: day(today.AddDate(0, 0, -30)), EndDate: day(today.AddDate(0, 0, 30)), WeeklyHours: 6,
		})
		must(err)
		_, err = wrk.EndEmployment(ctx, c1, x.p.UserID, intern.ID, work.EndInput{Reason: models.EndOther, Note: "Slutnote om " + tag})
		must(err)
		x.needles = append(x.needles, job.ID, intern.ID, "Firma "+tag, "Kontakt for "+tag, "Opgaver for "+tag,
			"Opfølgningsnote om "+tag, "Intern note om "+tag, "Slutnote om "+tag)

		// The plan: a goal with a tick and a note.
		g, err := pl.CreateGoal(ctx, c1, x.p.UserID, plan.NewGoal{Title: "Mål for " + tag, Wish: "Ønske fra " + tag,
			SubGoals: []plan.NewSubGoal{{Title: "Delmål for " + tag}}})
		must(err)
		done, note := true, "Plannote fra "+tag
		_, err = pl.UpdateGoal(ctx, x.p, x.p.UserID, g.ID, plan.GoalChange{SubGoals: []plan.SubGoalChange{{ID: g.SubGoals[0].ID, Done: &done}}, Note: &note})
		must(err)
		x.needles = append(x.needles, g.ID, "Mål for "+tag, "Ønske fra "+tag, "Delmål for "+tag, note)

		// The open door: messages both ways, a file, a callback, read marks.
		x.fileData = rawPNG(t, "BYTES-OF-"+tag)
		att, err := msg.Upload(ctx, x.p, x.p.UserID, x.fileData)
		must(err)
		_, _, err = msg.Send(ctx, x.p, x.p.UserID, messaging.SendInput{ClientID: newID(), Text: "Besked fra " + tag, AttachmentIDs: []string{att.ID}})
		must(err)
		reply, _, err := msg.Send(ctx, c1, x.p.UserID, messaging.SendInput{ClientID: newID(), Text: "Svar til " + tag})
		must(err)
		must(msg.MarkRead(ctx, x.p, x.p.UserID, reply.ID))
		_, _, err = msg.RequestCallback(ctx, x.p, x.p.UserID, messaging.CallbackInput{Reason: models.CallbackHardDay, Note: "Ring til " + tag})
		must(err)
		x.needles = append(x.needles, att.ID, "Besked fra "+tag, "Svar til "+tag, "Ring til "+tag, "BYTES-OF-"+tag)

		// Devices and preferences.
		token := "fcm-token-of-" + tag
		dev, err := notes.RegisterDevice(ctx, x.p, notifications.DeviceInput{Token: token, Platform: "android", AppVersion: "1.0", Locale: "da"})
		must(err)
		_, err = notes.UpdatePreferences(ctx, x.p, models.NotificationPrefs{Categories: map[string]string{}, QuietFrom: "22:00", QuietTo: "07:00"})
		must(err)
		x.needles = append(x.needles, dev.ID)
		x.secrets = append(x.secrets, token)
	}

	// Celebrations: A's with guests and an RSVP; B gets none (B is in
	// the other collections).
	cel, err := act.CreateCelebration(ctx, coord, activity.CelebrationInput{
		ParticipantID: a.UserID, Title: models.Text{Da: "Godt Gået, Zofia Quellbrand!"}, Description: models.Text{Da: "Kage for Zofia"},
		Location: "Jobbanken Herning", StartsAt: start.Add(24 * time.Hour),
		Guests: []models.Guest{{Name: "Zofias søster Agnieszka", Relation: models.GuestRelative, Count: 1}},
	})
	must(err)
	_, err = act.RSVP(ctx, a, cel.ID, models.RSVPYes, "Jeg glæder mig, hilsen Zofia")
	must(err)
	w.a.needles = append(w.a.needles, cel.ID, "Kage for Zofia", "Zofias søster Agnieszka", "Jeg glæder mig, hilsen Zofia")

	// A check-in both answer; A asks to talk.
	ci, err := chk.Send(ctx, c1, checkin.SendInput{Audience: checkin.AudienceDepartment})
	must(err)
	_, err = chk.Answer(ctx, a, ci.ID, checkin.AnswerInput{Choice: models.CheckInTalk, Text: "Tjek-ind-svar fra Zofia"})
	must(err)
	_, err = chk.Answer(ctx, b, ci.ID, checkin.AnswerInput{Choice: models.CheckInGood, Text: "Tjek-ind-svar fra Bertil"})
	must(err)
	w.a.needles = append(w.a.needles, "Tjek-ind-svar fra Zofia")
	w.b.needles = append(w.b.needles, "Tjek-ind-svar fra Bertil")

	// Staff-only data: a saved reply, office hours, an absence.
	_, err = msg.CreateSavedReply(ctx, c1, "Hej", "Tak for din besked")
	must(err)
	_, err = av.SetOfficeHours(ctx, c2, c2.UserID, models.DefaultOfficeHours())
	must(err)
	must(st.InsertAbsence(ctx, models.Absence{ID: newID(), CounselorID: c2.UserID, StandInID: c1.UserID,
		From: now().Add(-48 * time.Hour), Until: now().Add(-24 * time.Hour), CreatedBy: c2.UserID, CreatedAt: now()}))

	// The worker turns events into notifications (the inbox); a delivery
	// record per phone as the push worker would write.
	for {
		n, err := notes.Convert(ctx)
		must(err)
		if n == 0 {
			break
		}
	}
	for _, x := range []*person{&w.a, &w.b} {
		list, err := st.Notifications(ctx, x.p.UserID)
		must(err)
		devs, err := st.DevicesOf(ctx, x.p.UserID)
		must(err)
		if len(list) == 0 || len(devs) == 0 {
			t.Fatalf("%s: %d notifications, %d devices", x.login, len(list), len(devs))
		}
		must(st.InsertDelivery(ctx, models.Delivery{ID: list[0].ID + "/" + devs[0].ID, NotificationID: list[0].ID, DeviceID: devs[0].ID, State: "sent", At: now()}))
		for _, n := range list {
			x.needles = append(x.needles, n.ID)
		}
	}

	// What privacy/ writes (consents other than employer contact, the
	// access log, the withdrawal, leaver records) and the jobs' claims.
	for _, x := range []*person{&w.a, &w.b} {
		for _, purpose := range []models.ConsentPurpose{models.ConsentStatistics, models.ConsentPush, models.ConsentTerms} {
			must(st.InsertConsent(ctx, models.ConsentRecord{ID: newID(), ParticipantID: x.p.UserID, Purpose: purpose, Given: true,
				At: now(), ByID: x.p.UserID, ByRole: models.RoleParticipant, TextVersion: "2026-01"}))
		}
		must(st.InsertAccessEntries(ctx, []models.AccessEntry{{ID: newID(), ParticipantID: x.p.UserID, ActorID: c1.UserID,
			ActorRole: models.RoleCounselor, Action: "work.read", Kind: models.AccessRead, Route: "GET /v1/participants/:id/hours", RequestID: "req-1", At: now()}}))
	}
	must(st.InsertWithdrawal(ctx, models.Withdrawal{ParticipantID: a.UserID, DepartmentID: dept.ID, Reason: models.LeaveNoLongerWanted,
		At: now(), ByID: a.UserID, ByRole: models.RoleParticipant, EraseAfter: now(), AnonID: "anon-1"}))
	must(st.InsertLeaver(ctx, models.LeaverRecord{ID: newID(), DepartmentID: dept.ID, Reason: models.LeaveOther, LeftYear: 2025}))
	must(st.InsertJobRun(ctx, models.JobRun{ID: "anniversaries/2026-01-01", Job: "anniversaries", Period: "2026-01-01", Attempt: 1, Holder: "h", ClaimedAt: now(), LeaseUntil: now()}))
	must(st.InsertPensionRuleVersion(ctx, work.RuleVersion{ID: newID(), Year: 2026, Scheme: "post2003", Version: 1, EnteredBy: admin.ID, EnteredByName: "Admin Person", EnteredAt: now()}))
	_, err = st.TryLock(ctx, "queue/"+d.ID+"/", "holder", now(), now().Add(time.Minute))
	must(err)
	_, err = st.BeginIdempotent(ctx, models.IdempotencyRecord{ID: sha("caller/route/key"), RequestHash: sha("body"), CreatedAt: now(), ExpiresAt: now().Add(24 * time.Hour)})
	must(err)
	must(st.MarkSeeded(ctx, store.SeedMarker{Participants: 2, Months: 1, AsOf: now(), CreatedAt: now(), Documents: map[string]int{"users": 6}}))
	must(st.MarkMigrationDone(ctx, "conversations-v1"))
	return w
}
