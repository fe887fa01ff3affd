package store

import "context"

// Registry views for the external tests (package store_test).

// PersonalCollections names the registry's collections, in erasure order.
func PersonalCollections() []string {
	out := make([]string, len(personalData))
	for i, pc := range personalData {
		out[i] = pc.name
	}
	return out
}

// ExportedCollections names the registry's collections marked exported.
func ExportedCollections() []string {
	var out []string
	for _, pc := range personalData {
		if pc.exported {
			out = append(out, pc.name)
		}
	}
	return out
}

// NotPersonalCollections is the list of collections without participant
// data, with the reasons.
func NotPersonalCollections() map[string]string { return notPersonal }

// EraseThrough runs erasure as if the process died right after erasing
// collection last: the steps up to and including it, no further.
func (s *Store) EraseThrough(ctx context.Context, participantID, last string) error {
	k, err := s.erasureKeys(ctx, participantID)
	if err != nil {
		return err
	}
	for _, pc := range personalData {
		if f := pc.filter(k); f != nil {
			if pc.anonymise != nil {
				if err := pc.anonymise(ctx, s, k); err != nil {
					return err
				}
			}
			if _, err := s.c(pc.name).DeleteMany(ctx, f); err != nil {
				return err
			}
		}
		if pc.name == last {
			return nil
		}
	}
	return nil
}
