// Package handlers is the HTTP edge: it decodes requests, checks their shape,
// calls a capability and encodes the answer. Errors are returned, never
// written, so ErrorHandler alone turns them into RFC 9457 problems.
package handlers

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/jobbanken/jobkunde/messaging"
)

// Deps is everything the HTTP layer needs; main and the tests build it.
type Deps struct {
	Log           *slog.Logger
	Accounts      Accounts
	Activities    Activities
	Rosters       Rosters
	Calendar      CalendarFeeds
	Work          Work
	Messaging     Messaging
	Notifications Notifications
	Plans         Plans
	Tokens        TokenVerifier
	JWKS          []byte // the public keys document served at /.well-known/jwks.json
	Idempotency   IdempotencyStore
	Ready         func(ctx context.Context) error // database reachable?
	Unavailable   func(err error) bool            // does err mean the database cannot be reached now (503, not 500)?
	Metrics       *prometheus.Registry
	// MetricsElsewhere leaves /metrics off the API (it is served on its own
	// address, METRICS_ADDR).
	MetricsElsewhere bool
	OpenAPI          []byte // the contract served at /openapi.yaml
	Now              func() time.Time

	RequestTimeout time.Duration // default 15 s
	BodyLimit      int           // bytes; default 1 MiB (attachment uploads: messaging.MaxAttachmentBytes)
	TrustedProxies []string      // when set, the client address is read from X-Forwarded-For

	PensionRules PensionRuleBook // the pension figures and the corrections admins enter
	Availability Availability    // counselors' office hours and away status
	CheckIns     CheckIns        // "Hvordan går det?" check-ins
	Celebrations Celebrations    // "Godt Gået" celebrations
	Privacy      Privacy         // consents, the access log, the export and leaving
	Sessions     SessionChecker  // ended login sessions lose access at once
	Statistics   Statistics      // the figures management reports
}

// NewApp builds the Fiber app with every middleware and route. Tests and
// main share it, so what is tested is what runs.
func NewApp(d Deps) *fiber.App {
	if d.RequestTimeout == 0 {
		d.RequestTimeout = 15 * time.Second
	}
	if d.BodyLimit == 0 {
		d.BodyLimit = 1 << 20
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	onError := ErrorHandler(d.Log, d.Unavailable)
	cfg := fiber.Config{
		AppName:      "jobkunde",
		ErrorHandler: onError,
		Immutable:    true,
		BodyLimit:    max(d.BodyLimit, messaging.MaxAttachmentBytes+64<<10),
		// Reading and writing a whole body may take longer than handling it:
		// a 10 MB photo from a phone on a slow line.
		ReadTimeout:           max(d.RequestTimeout, 2*time.Minute),
		WriteTimeout:          max(d.RequestTimeout+5*time.Second, 2*time.Minute),
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
	}
	if len(d.TrustedProxies) > 0 {
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = d.TrustedProxies
	}
	app := fiber.New(cfg)
	docs := newDocsSite()
	app.Use(securityHeaders(docs.policy))
	app.Use(assignRequestID)
	app.Use(observe(d.Log, newMetrics(d.Metrics), onError))
	app.Use(recover.New())
	app.Use(limitBody(d.BodyLimit))
	app.Use(timeout(d.RequestTimeout))

	mountOps(app, d, docs)

	v1 := app.Group("/v1")
	var access AccessRecorder
	if d.Privacy != nil {
		access = d.Privacy
	}
	authed := requireAuth(d.Tokens, d.Sessions, access)
	once := idempotent(d.Idempotency, onError, d.Now, d.Log)

	a := accountRoutes{svc: d.Accounts, now: d.Now}
	v1.Post("/auth/login", a.login)
	v1.Post("/auth/refresh", a.refresh)
	v1.Post("/auth/logout", a.logout)
	v1.Post("/auth/activate", a.activate)
	v1.Get("/me", authed, a.me)

	v1.Get("/departments", authed, a.listDepartments)
	v1.Post("/departments", authed, once, a.createDepartment)
	v1.Get("/staff", authed, a.listStaff)
	v1.Put("/staff/:id/departments", authed, a.setStaffDepartments)
	v1.Post("/staff", authed, once, a.createStaff)
	v1.Get("/participants", authed, a.listParticipants)
	v1.Post("/participants", authed, once, a.enrollParticipant)
	v1.Get("/participants/:id", authed, a.getParticipant)
	v1.Put("/participants/:id/counselor", authed, a.reassignCounselor)
	v1.Get("/participants/:id/counselor-history", authed, a.listCounselorHistory)
	v1.Post("/participants/:id/activation-code", authed, once, a.reissueActivationCode)

	act := activityRoutes{svc: d.Activities}
	v1.Get("/activities", authed, act.listActivities)
	v1.Post("/activities", authed, once, act.createActivity)
	v1.Get("/activities/:id", authed, act.getActivity)
	v1.Put("/activities/:id", authed, act.updateActivity)
	v1.Post("/activities/:id/cancel", authed, act.cancelActivity)
	v1.Post("/activities/:id/sessions", authed, once, act.createSessions)
	v1.Get("/activities/:id/roster", authed, act.getRoster)
	v1.Post("/activities/:id/enrollments", authed, once, act.signUp)
	v1.Post("/sessions/:id/cancel", authed, act.cancelSession)
	v1.Post("/enrollments/:id/cancel", authed, act.cancelEnrollment)
	v1.Post("/enrollments/:id/approve", authed, act.approveEnrollment)
	v1.Post("/enrollments/:id/decline", authed, act.declineEnrollment)
	v1.Get("/approvals", authed, act.listPendingApprovals)
	v1.Get("/me/enrollments", authed, act.listMyEnrollments)
	v1.Get("/participants/:id/enrollments", authed, act.listParticipantEnrollments)

	ros := rosterRoutes{svc: d.Rosters}
	v1.Get("/activities/:id/roster.csv", authed, ros.exportRoster)
	v1.Get("/activities/:id/figures", authed, ros.getActivityFigures)
	v1.Post("/sessions/:id/attendance", authed, ros.recordAttendance)

	cal := calendarRoutes{svc: d.Calendar}
	v1.Get("/calendar/:token.ics", cal.getMyCalendarFeed) // no bearer: the token in the path is the credential
	v1.Post("/me/calendar-feed", authed, once, cal.rotateCalendarFeed)
	v1.Delete("/me/calendar-feed", authed, cal.revokeCalendarFeed)

	wk := workRoutes{svc: d.Work}
	v1.Get("/participants/:id/employments", authed, wk.listEmployments)
	v1.Post("/participants/:id/employments", authed, once, wk.createEmployment)
	v1.Get("/participants/:id/employments/:employmentId", authed, wk.getEmployment)
	v1.Put("/participants/:id/employments/:employmentId", authed, wk.updateEmployment)
	v1.Post("/participants/:id/employments/:employmentId/end", authed, wk.endEmployment)
	v1.Put("/participants/:id/employments/:employmentId/employer-consent", authed, wk.setEmployerContactConsent)
	v1.Get("/participants/:id/hours", authed, wk.listHours)
	v1.Post("/participants/:id/hours", authed, once, wk.logHours)
	v1.Put("/participants/:id/hours/:entryId", authed, wk.updateHours)
	v1.Delete("/participants/:id/hours/:entryId", authed, wk.deleteHours)
	v1.Get("/participants/:id/payslips", authed, wk.listPayslips)
	v1.Post("/participants/:id/payslips", authed, once, wk.recordPayslip)
	v1.Get("/participants/:id/pension-profile", authed, wk.getPensionProfile)
	v1.Put("/participants/:id/pension-profile", authed, wk.updatePensionProfile)
	v1.Get("/participants/:id/pension-status", authed, wk.getPensionStatus)
	v1.Post("/participants/:id/pension-simulation", authed, wk.simulatePension)
	v1.Get("/participants/:id/follow-ups", authed, wk.listFollowUps)
	v1.Patch("/participants/:id/follow-ups/:followUpId", authed, wk.updateFollowUp)
	pr := pensionRuleRoutes{svc: d.PensionRules}
	v1.Get("/pension-rules", authed, pr.listPensionRules)
	v1.Put("/pension-rules/:year", authed, pr.putPensionRules)
	pl := planRoutes{svc: d.Plans}
	v1.Get("/participants/:id/plan", authed, pl.getPlan)
	v1.Post("/participants/:id/plan/goals", authed, once, pl.createGoal)
	v1.Patch("/participants/:id/plan/goals/:goalId", authed, pl.updateGoal)
	v1.Delete("/participants/:id/plan/goals/:goalId", authed, pl.deleteGoal)
	av := availabilityRoutes{svc: d.Availability}
	v1.Put("/counselors/:id/away", authed, av.setAway)
	v1.Delete("/counselors/:id/away", authed, av.clearAway)
	v1.Put("/counselors/:id/office-hours", authed, av.setOfficeHours)

	msg := messagingRoutes{svc: d.Messaging, now: d.Now}
	v1.Get("/me/conversation", authed, msg.getMyConversation)
	v1.Get("/participants/:id/conversation", authed, msg.getConversation)
	v1.Get("/participants/:id/conversation/messages", authed, msg.listMessages)
	v1.Post("/participants/:id/conversation/messages", authed, once, msg.sendMessage)
	v1.Post("/participants/:id/conversation/read", authed, msg.markConversationRead)
	v1.Post("/participants/:id/conversation/callback", authed, once, msg.requestCallback)
	v1.Post("/participants/:id/conversation/attachments", authed, once, msg.uploadAttachment)
	v1.Get("/participants/:id/conversation/attachments/:attachmentId", authed, msg.getAttachment)
	v1.Get("/inbox", authed, msg.listInbox)
	v1.Get("/me/saved-replies", authed, msg.listSavedReplies)
	v1.Post("/me/saved-replies", authed, once, msg.createSavedReply)
	v1.Delete("/me/saved-replies/:id", authed, msg.deleteSavedReply)
	v1.Get("/messaging/stats", authed, msg.getMessagingStats)

	nt := notificationRoutes{svc: d.Notifications}
	v1.Put("/me/devices", authed, nt.registerDevice)
	v1.Delete("/me/devices/:token", authed, nt.unregisterDevice)
	v1.Get("/me/notifications", authed, nt.listNotifications)
	v1.Post("/me/notifications/read", authed, nt.markNotificationsRead)
	v1.Get("/me/notification-preferences", authed, nt.getNotificationPreferences)
	v1.Put("/me/notification-preferences", authed, nt.updateNotificationPreferences)
	chk := checkInRoutes{svc: d.CheckIns}
	v1.Post("/check-ins", authed, once, chk.sendCheckIn)
	v1.Post("/check-ins/:id/answer", authed, chk.answerCheckIn)
	v1.Get("/check-ins/:id/results", authed, chk.getCheckInResults)
	cel := celebrationRoutes{svc: d.Celebrations}
	v1.Get("/celebrations", authed, cel.listCelebrations)
	v1.Post("/celebrations", authed, once, cel.createCelebration)
	v1.Post("/celebrations/:id/rsvp", authed, cel.rsvpCelebration)
	sta := statisticsRoutes{svc: d.Statistics}
	v1.Get("/statistics", authed, sta.getStatistics)
	v1.Get("/statistics.csv", authed, sta.exportStatistics)
	v1.Get("/statistics/retention-coefficient", authed, sta.getRetentionCoefficient)

	pv := privacyRoutes{svc: d.Privacy}
	v1.Get("/me/consents", authed, pv.listMyConsents)
	v1.Get("/participants/:id/consents", authed, pv.listParticipantConsents)
	v1.Put("/participants/:id/consents/:purpose", authed, pv.setConsent)
	v1.Get("/me/data-export", authed, pv.exportMyData)
	v1.Get("/participants/:id/data-export", authed, pv.exportParticipantData)
	v1.Get("/me/access-log", authed, pv.listMyAccessLog)
	v1.Get("/access-log", authed, pv.searchAccessLog)
	v1.Post("/participants/:id/withdrawal", authed, once, pv.withdrawParticipant)
	v1.Get("/participants/:id/withdrawal", authed, pv.getWithdrawal)
	v1.Delete("/participants/:id/withdrawal", authed, pv.undoWithdrawal)

	return app
}

// limitBody refuses bodies over limit, except an attachment upload, which
// may carry up to messaging.MaxAttachmentBytes (Fiber's own limit).
func limitBody(limit int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Request().Body()) > limit && !(c.Method() == fiber.MethodPost && strings.HasSuffix(c.Path(), "/conversation/attachments")) {
			return fiber.ErrRequestEntityTooLarge
		}
		return c.Next()
	}
}
