-- 0002_cms_seed.sql: the six published seed articles of domain.md §17.3.
--
-- Author, reviewer and publisher are 'system'; created_at = updated_at =
-- submitted_at = reviewed_at = published_at = the published time of the spec.
-- Each article is inserted only if no article with the same
-- (content_type, slug) exists yet, so re-applying this file changes nothing.
-- content_md literals contain real newlines: every line starts at column 0,
-- paragraphs are separated by one blank line, there is no trailing newline.

-- blog: spring-maintenance-2026
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT '4cf85811-49a2-4714-9caa-026e453925d4', 'blog', 'spring-maintenance-2026',
    'Nachweise statt Behauptung: So wird Fahrzeughistorie belastbar',
    'Eine Fahrzeughistorie überzeugt erst, wenn Einträge und Belege zusammenpassen. So baust du sie Schritt für Schritt belastbar auf.',
    'Viele Fahrzeughistorien bestehen aus Erinnerungen und losen Zetteln. Belastbar wird eine Historie erst, wenn jeder Eintrag nachvollziehbar ist und ein passender Beleg dazu existiert.

**Was einen guten Eintrag ausmacht**

- Datum, Art der Arbeit und Kilometerstand
- Wer die Arbeit durchgeführt hat
- Ein Beleg, zum Beispiel Rechnung oder Prüfbericht

**Belege zuerst prüfen lassen**

Hochgeladene Dokumente starten immer in der Quarantäne. Erst nach der Prüfung zählen sie als Nachweis. So bleibt die Historie sauber und vertrauenswürdig.

Beleg schlägt Behauptung: Je vollständiger die Nachweise, desto aussagekräftiger wird die Dokumentation.',
    'published', 'system', 'system', 'system', NULL,
    '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'blog' AND slug = 'spring-maintenance-2026');

-- blog: trust-ampel-guide
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT '508afd7b-4bf9-44e4-a767-9160ce02210d', 'blog', 'trust-ampel-guide',
    'Trust-Ampel richtig lesen: Dokumentationsqualität statt Technikurteil',
    'Die Trust-Ampel zeigt, wie gut die Historie eines Fahrzeugs belegt ist. Über den technischen Zustand sagt sie nichts aus.',
    'Die Trust-Ampel fasst zusammen, wie vollständig und nachweisbar die Dokumentation eines Fahrzeugs ist. Sie ersetzt keine Begutachtung und keine Probefahrt.

**Die vier Stufen**

- Grün: Die Dokumentation ist vollständig nachweisbar.
- Gelb: Es gibt Hinweise, die die Nachweisqualität mindern.
- Orange: Ein wichtiger Punkt begrenzt die Bewertung, etwa ein unbekannter Unfallstatus.
- Rot: Ein Befund blockiert die Bewertung, bis er geklärt ist.

**Was die Ampel nicht ist**

Die Trust-Ampel bewertet ausschließlich die Dokumentations- und Nachweisqualität. Sie ist keine Aussage über den technischen Zustand des Fahrzeugs.',
    'published', 'system', 'system', 'system', NULL,
    '2026-02-28T09:00:00.000000Z', '2026-02-28T09:00:00.000000Z', '2026-02-28T09:00:00.000000Z', '2026-02-28T09:00:00.000000Z', '2026-02-28T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'blog' AND slug = 'trust-ampel-guide');

-- blog: digital-vehicle-passport
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT 'a1bc88e7-d37e-467a-8c8c-19ad93b7e4b2', 'blog', 'digital-vehicle-passport',
    'Serviceeinträge sauber vorbereiten: Welche Angaben wirklich helfen',
    'Mit wenigen Pflichtangaben und einem passenden Beleg wird aus einem Serviceeintrag ein echter Nachweis.',
    'Ein Serviceeintrag braucht nicht viel, aber die richtigen Angaben. Pflicht sind Datum, Art der Arbeit, durchgeführt von und Kilometerstand.

**Optionale Angaben lohnen sich**

- Eine kurze Bemerkung zur Arbeit
- Der Kostenbetrag
- Die Nachweisstufe des Eintrags

Datenpflege = bessere Trust-Stufe & Verkaufswert.

**Korrigieren statt überschreiben**

Einträge werden nie überschrieben. Eine Korrektur legt eine neue Version an, die alte bleibt in der Versionshistorie sichtbar.',
    'published', 'system', 'system', 'system', NULL,
    '2026-02-25T09:00:00.000000Z', '2026-02-25T09:00:00.000000Z', '2026-02-25T09:00:00.000000Z', '2026-02-25T09:00:00.000000Z', '2026-02-25T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'blog' AND slug = 'digital-vehicle-passport');

-- news: eu-digital-vehicle-passport-2027
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT '4b9b8d91-f60f-4808-8767-56f938b5a000', 'news', 'eu-digital-vehicle-passport-2027',
    'Produktstatus: Public-QR bleibt bewusst datenarm',
    'Der Public-QR zeigt nur die Trust-Ampel, einfache Indikatoren und wenige Fahrzeugeckdaten. Dokumente und Halterdaten bleiben privat.',
    'Der Public-QR ist der Mini-Check für Interessenten. Er zeigt die Trust-Ampel, ob Historie und Nachweise vorhanden sind, die Verifizierungsstufe und den Unfallstatus.

**Was nicht angezeigt wird**

- Keine Dokumente und keine Downloads
- Keine Halterdaten
- Keine vollständige Fahrzeug-Identifizierungsnummer
- Keine Kennzahlen oder Zeiträume

So bleibt der Check aussagekräftig, ohne private Daten preiszugeben.',
    'published', 'system', 'system', 'system', NULL,
    '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z', '2026-03-01T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'news' AND slug = 'eu-digital-vehicle-passport-2027');

-- news: ltc-expands-to-fleet-management
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT 'c9d84e0f-0aef-4cb7-b93c-4c02ea6829b8', 'news', 'ltc-expands-to-fleet-management',
    'Produktupdate: Uploads starten weiterhin in Quarantäne',
    'Jeder Upload wird zuerst geprüft. Erst freigegebene Dokumente zählen als Nachweis und können heruntergeladen werden.',
    'Auch nach dem aktuellen Update gilt: Jedes hochgeladene Dokument startet in der Quarantäne.

**So läuft die Prüfung**

- Die Datei wird auf ihren Typ und auf Schadsoftware geprüft.
- Ein Admin gibt das Dokument frei oder lehnt es ab.
- Erst freigegebene Dokumente zählen als Nachweis.

Abgelehnte Dokumente lassen sich nicht nachträglich freigeben. Ein bereinigtes Dokument wird einfach neu hochgeladen.',
    'published', 'system', 'system', 'system', NULL,
    '2026-02-27T09:00:00.000000Z', '2026-02-27T09:00:00.000000Z', '2026-02-27T09:00:00.000000Z', '2026-02-27T09:00:00.000000Z', '2026-02-27T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'news' AND slug = 'ltc-expands-to-fleet-management');

-- news: trust-ampel-reaches-100k-vehicles
INSERT INTO cms_articles (article_id, content_type, slug, title, excerpt,
    content_md, workflow_state, author_user_id, reviewer_user_id,
    published_by_user_id, review_note, submitted_at, reviewed_at,
    published_at, created_at, updated_at)
SELECT '6fb6b2dd-134a-4659-be56-4405f6ec5427', 'news', 'trust-ampel-reaches-100k-vehicles',
    'Governance: Moderator bleibt strikt auf Blog und News begrenzt',
    'Die Moderatorenrolle pflegt ausschließlich Blog und News. Fahrzeugdaten, Dokumente und Exporte bleiben für sie gesperrt.',
    'Moderatorinnen und Moderatoren schreiben und überarbeiten Beiträge für Blog und News. Auf alle anderen Bereiche haben sie keinen Zugriff.

**Redaktionsablauf**

- Entwurf anlegen und zur Prüfung einreichen
- Prüfung durch einen Admin
- Veröffentlichung durch einen Superadmin

So bleiben Inhalte geprüft, und die Rollen bleiben klar getrennt.',
    'published', 'system', 'system', 'system', NULL,
    '2026-02-20T09:00:00.000000Z', '2026-02-20T09:00:00.000000Z', '2026-02-20T09:00:00.000000Z', '2026-02-20T09:00:00.000000Z', '2026-02-20T09:00:00.000000Z'
WHERE NOT EXISTS (SELECT 1 FROM cms_articles
    WHERE content_type = 'news' AND slug = 'trust-ampel-reaches-100k-vehicles');
