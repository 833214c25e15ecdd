import Foundation
import MatchModel

/// The files `mentormatch init` writes: a program file with every key, its
/// default and a one-line meaning (commented out where the default serves),
/// and header-only CSV files to fill from the HR system.
public enum ProgramTemplate {
    public static let programFile = """
        # A MentorMatch program. Every key but `roster` has a default; the values
        # shown commented out are the defaults. Reference: docs/program-file.md.

        name: My mentorship program      # shown on proposals and reports
        cohort: 2027-H1                  # the cycle: decisions belong to it; rename it to start the next cycle
        start: 2027-01-15                # start date (time-zone offsets are taken at local noon on it)
        # duration_months: 6             # for exports (end date) and history; not used in matching

        roster: roster.csv               # required: one row per person (files live in this folder or below)
        preferences: preferences.csv     # optional: who ranks whom (rank 1 is best)
        exclusions: exclusions.csv       # optional: declared conflicts of interest
        history: history.csv             # optional: earlier pairs, not repeated
        org: org.csv                     # optional: the org chart beyond the roster's manager_id

        # weights:                       # how much each factor counts in a pair's points (need not sum to 1)
        #   skills: 0.50                 # mentor's expertise covering the mentee's goals
        #   level: 0.15                  # closeness to the ideal level gap
        #   timezone: 0.10               # overlapping working hours
        #   preference: 0.15             # ranks in preferences.csv, both ways
        #   style: 0.05                  # complementary working styles (D/I/S/C)
        #   cross_department: 0.05       # a mentor from another department

        rules:
          # mentors_per_mentee: 1        # each mentee gets up to this many mentors (1-10)
          # max_timezone_gap_hours: 6    # largest time-zone gap in a pair; null for no limit (0-24)
          # shared_language: true        # a pair must share a language
          # level_gap: {min: 1, max: 4, ideal: 2}   # mentor level minus mentee level (-14 to 14)
          # default_capacity: 2          # mentees per mentor when the roster's capacity cell is blank (0-1000)
          # capacity_by_level: {7: 3}    # capacity by exact mentor level, over default_capacity
          # exclude_management_chain: true   # never pair someone with a manager above them, at any depth
          # no_repeat_pairs: true        # never repeat a pair from history.csv or a finalised cycle
          # mentor_eligibility: {min_tenure_months: 0, min_rating: 0}   # who may mentor
          # min_pair_points: 0           # a pair below this many points is never proposed (0-1000)
          # stable: false                # true: no pair who rank each other may both prefer each other to what they got

        # equity:                        # optional rules on who gets matched (aggregates only)
        #   group_access:                # each group's match rate within `tolerance` of the overall rate
        #     - {attribute: urg, tolerance: 0.05}
        #   department_access: {tolerance: 0.10}    # the same, per mentee department
        #   max_same_department_per_mentor: 2       # a mentor's mentees from any one department
        #   location_reach: {location: HQ, min_share_outside: 0.4}   # HQ mentors' pairs with mentees elsewhere
        #   level_access: {tolerance: 0.10, bands: [[1, 3], [4, 6], [7, 15]]}   # the same, per band of mentee levels

        # tiers:                         # each mentee gets at most one mentor per tier (level-gap ranges must not overlap)
        #   peer:   {level_gap: {min: 0, max: 1, ideal: 0}}
        #   senior: {level_gap: {min: 2, max: 6, ideal: 3}, mentor_eligibility: {min_tenure_months: 24, min_rating: 3}}
        # criteria:                      # your own factors from roster columns, after the six above
        #   - {name: interests, column: interests, kind: overlap, weight: 0.10}   # kind: overlap, same or different
        # scores: {file: scores.csv, weight: 0.30, missing: 0.0}   # your own compatibility scores (mentor_id,mentee_id,score 0-1)

        # objective: coverage_then_score # or coverage_then_fairness (the weakest pair first, then the total),
        #                                # or a list of stages: [coverage, mentors_used, min_points, total_points]
        # solver: {time_limit_seconds: 60, mip_gap: 0.0}   # time limit and the accepted gap (0: prove optimal)

        """

    /// Header-only CSV files, by name.
    public static let csvFiles: [(name: String, header: String)] = [
        ("roster.csv", RosterFile.columns.joined(separator: ",")),
        ("preferences.csv", "from_id,to_id,rank"),
        ("exclusions.csv", "a_id,b_id,reason"),
        ("history.csv", "mentor_id,mentee_id,cohort"),
        ("org.csv", "id,manager_id")
    ]

    /// Writes the template into `directory` (created if needed); files already there are
    /// replaced only with `overwrite`, and none is written unless all may be.
    /// - Returns: the paths written.
    @discardableResult
    public static func write(to directory: String, overwrite: Bool = false) throws -> [String] {
        let files = [("program.yaml", programFile)] + csvFiles.map { ($0.name, $0.header + "\n") }
        return try OutputFile.writeAll(files, into: directory, policy: OutputPolicy(overwrite: overwrite))
    }
}
