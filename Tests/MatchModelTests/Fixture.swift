import Foundation
import TestSupport

@testable import MatchModel

/// A throwaway folder with program files, removed at deinit.
final class Fixture {
    private let folder = TemporaryDirectory("mm-fixture")
    var dir: String { folder.path }

    init(_ files: [String: String]) {
        for (name, text) in files { folder.write(name, text) }
    }

    var programPath: String { dir + "/program.yaml" }

    /// Loads and returns the diagnostics (errors and warnings), or the loaded program.
    func load() -> (Program?, [Diagnostic]) {
        do {
            let l = try ProgramLoader.load(path: programPath)
            return (l.program, l.warnings)
        } catch let e as InputError {
            return (nil, e.diagnostics)
        } catch {
            return (nil, [])
        }
    }

    static let header =
        "id,name,role,level,department,location,timezone,languages,manager_id,expertise,goals,capacity,tenure_months,rating,style,attributes,priority,opt_out"

    static func program(_ extra: String = "") -> String {
        "name: Test\ncohort: T1\nstart: 2027-01-15\nroster: roster.csv\n" + extra
    }

    static let goodRoster = """
        \(header)
        M1,Ann,mentor,8,Eng,HQ,Europe/Berlin,en;de,,swift:4,,,24,4,D,gender=f,normal,no
        E1,Bob,mentee,5,Sales,HQ,Europe/Berlin,en,M1,,swift:2,,,,I,gender=m,high,no
        """
}
