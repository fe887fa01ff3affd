package checkin

// SetBatch sets how many participants are asked per round trip, so tests
// can cross batch boundaries with a handful of participants.
func SetBatch(s *Service, n int) { s.batch = n }
