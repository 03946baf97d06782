-- Models/side-by-side-30.json written as one query: the points LeadScore's card gives each contact.
-- Expects tables contacts(...) and events(contact, type, url, form, age) where age is whole seconds
-- before the scoring instant (negative for events after it, which do not count yet).
-- Windows count an event while its age is under the window, as the engine does (age < window).
-- Text tests ignore case, as the engine's do; a missing field fails every test (NULL -> ELSE 0).
WITH behaviour AS (
    SELECT
        contact,
        count(*) FILTER (WHERE type = 'email_open' AND age < 30 * 86400) AS opens_30d,
        count(*) FILTER (WHERE type = 'email_open' AND age < 14 * 86400) AS opens_14d,
        sum(exp(-ln(2) * age / (14 * 86400.0))) FILTER (WHERE type = 'email_click' AND age < 30 * 86400) AS clicks_decayed,
        count(*) FILTER (WHERE type = 'page_view' AND contains(lower(url), '/blog') AND age < 30 * 86400) AS blog_30d,
        count(*) FILTER (WHERE type = 'page_view' AND contains(lower(url), '/docs') AND age < 60 * 86400) AS docs_60d,
        sum(exp(-ln(2) * age / (30 * 86400.0))) FILTER (WHERE type = 'content_download') AS downloads_decayed,
        count(*) FILTER (WHERE type = 'webinar_registration' AND age < 60 * 86400) AS webinar_registrations_60d,
        min(age) FILTER (WHERE type = 'webinar_attended') AS newest_webinar_age,
        count(*) FILTER (WHERE type = 'page_view' AND contains(lower(url), '/pricing') AND age < 14 * 86400) AS pricing_14d,
        min(age) FILTER (WHERE type = 'demo_requested') AS newest_demo_age,
        count(*) FILTER (WHERE type = 'free_trial_started' AND age < 60 * 86400) AS trials_60d,
        count(*) FILTER (WHERE type = 'contact_request' AND lower(form) = 'contact-us' AND age < 30 * 86400) AS contact_sales_30d,
        count(*) FILTER (WHERE type = 'page_view' AND age < 7 * 86400) AS page_views_7d,
        count(*) FILTER (WHERE type = 'unsubscribe') AS unsubscribes,
        count(*) FILTER (WHERE type = 'email_bounce' AND age < 90 * 86400) AS bounces_90d
    FROM events
    WHERE age >= 0
    GROUP BY contact
),
categories AS (
    SELECT
        c.id,
        (c.email ILIKE '%@rival.example' OR contains(lower(c.jobTitle), 'student')) IS TRUE AS disqualified,
        -- company-fit
          CASE WHEN lower(c.industry) IN ('software', 'saas', 'fintech') THEN 10 ELSE 0 END
        + CASE WHEN lower(c.industry) IN ('consulting', 'media', 'telecom', 'retail') THEN 5 ELSE 0 END
        + CASE WHEN c.employees BETWEEN 100 AND 999 THEN 8 ELSE 0 END
        + CASE WHEN c.employees >= 1000 THEN 12 ELSE 0 END
        + CASE WHEN c.annualRevenue >= 10000000 THEN 6 ELSE 0 END
        + CASE WHEN lower(c.country) IN ('us', 'ca', 'gb') THEN 4 ELSE 0 END
        + CASE WHEN lower(c.industry) IN ('software', 'saas') AND c.employees >= 500 THEN 5 ELSE 0 END
          AS company_fit,
        -- person-fit
          CASE WHEN regexp_matches(c.jobTitle, '(?i)\b(vp|chief|head|director)\b') THEN 10 ELSE 0 END
        + CASE WHEN regexp_matches(c.jobTitle, '(?i)\bmanager\b') THEN 5 ELSE 0 END
        + CASE WHEN lower(c.seniority) = 'executive' THEN 8 ELSE 0 END
        + CASE WHEN lower(c.department) IN ('engineering', 'it', 'operations') THEN 6 ELSE 0 END
        + CASE WHEN c.budget >= 50000 THEN 8 ELSE 0 END
        + CASE WHEN c.purchaseTimeframeDays <= 90 THEN 7 ELSE 0 END
        + CASE WHEN lower(c.leadSource) IN ('referral', 'partner', 'webinar') THEN 4 ELSE 0 END
        + CASE WHEN regexp_matches(c.email, '(?i)@(gmail|yahoo|hotmail|outlook)\.com$') THEN -10 ELSE 0 END
          AS person_fit,
        -- interest
          least(8, 1 * coalesce(b.opens_30d, 0))
        + least(10, 2 * coalesce(b.clicks_decayed, 0))
        + least(3, 0.5 * coalesce(b.blog_30d, 0))
        + least(5, 1 * coalesce(b.docs_60d, 0))
        + least(12, 4 * coalesce(b.downloads_decayed, 0))
        + CASE WHEN b.webinar_registrations_60d >= 1 THEN 5 ELSE 0 END
        + CASE WHEN b.newest_webinar_age IS NOT NULL THEN 10 * exp(-ln(2) * b.newest_webinar_age / (45 * 86400.0)) ELSE 0 END
        + CASE WHEN coalesce(b.opens_14d, 0) >= 1 THEN 0 ELSE -5 END
        + CASE WHEN b.unsubscribes >= 1 THEN -15 ELSE 0 END
          AS interest,
        -- intent
          CASE WHEN b.pricing_14d >= 2 THEN 6 ELSE 0 END
        + CASE WHEN b.newest_demo_age IS NOT NULL THEN 20 * exp(-ln(2) * b.newest_demo_age / (30 * 86400.0)) ELSE 0 END
        + CASE WHEN b.trials_60d >= 1 THEN 15 ELSE 0 END
        + CASE WHEN b.contact_sales_30d >= 1 THEN 18 ELSE 0 END
        + CASE WHEN lower(c.seniority) = 'executive' AND b.page_views_7d >= 3 THEN 5 ELSE 0 END
        + CASE WHEN b.bounces_90d >= 1 THEN -10 ELSE 0 END
          AS intent
    FROM contacts c
    LEFT JOIN behaviour b ON b.contact = c.id
)
SELECT
    id,
    CASE WHEN disqualified THEN 0
         ELSE least(100, round(greatest(0, least(25, company_fit)) + greatest(0, least(25, person_fit))
                             + greatest(0, least(25, interest)) + greatest(0, least(25, intent))))::INTEGER
    END AS points,
    CASE WHEN disqualified THEN 0
         ELSE greatest(0, least(25, company_fit)) + greatest(0, least(25, person_fit))
            + greatest(0, least(25, interest)) + greatest(0, least(25, intent))
    END AS total
FROM categories
ORDER BY id
