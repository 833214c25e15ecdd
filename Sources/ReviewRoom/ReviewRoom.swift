import Foundation
import Hummingbird
import Logging
import MatchModel
import MatchStore
import MentorMatch

/// `mentormatch serve`: a local web application over the program's store, for the people who
/// decide. Every page and action goes through the same use cases as the CLI (``Review``,
/// ``ReviewShow``, ``Explain``), so the store, the audit trail and the messages are the same, and
/// CLI and browser can be used on one store at the same time.
public struct ReviewRoom: Sendable {
    public let programPath: String
    public let storePath: String?
    public let token: AccessToken
    /// The host and port the server binds (loopback by default); requests must name one of them.
    public var host = "127.0.0.1"
    public var port = 8765
    /// Pairs on one page of a proposal.
    public var pageSize = 100
    /// The solves started from the browser.
    let jobs = BackgroundJobs()
    /// The program as last loaded, while its files are unchanged.
    let programs = ProgramCache()

    public init(programPath: String, storePath: String? = nil, token: AccessToken = .random()) {
        self.programPath = programPath
        self.storePath = storePath
        self.token = token
    }

    var review: Review { Review(programPath: programPath, storePath: storePath) }

    /// The program's name for page titles (its file name when the program does not load).
    var programName: String {
        ProgramFile.lenient(path: programPath)?.name ?? ((programPath as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// The router with every page and action, behind the access guard.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: AccessGuard(token: token, hosts: allowedHosts))
        router.get("/assets/room.css") { _, _ in Self.asset(HTML.css, type: "text/css; charset=utf-8") }
        router.get("/assets/room.js") { _, _ in Self.asset(HTML.script, type: "text/javascript; charset=utf-8") }
        router.get("/") { request, _ in respond { try programPage(notice: request.uri.queryParameters["done"].map(String.init)) } }
        router.get("/proposals/:id") { request, context in
            respond {
                let id = try proposalID(context)
                return try proposalPage(
                    id, filter: PairFilter(FormData(request.uri.query ?? "")), notice: request.uri.queryParameters["done"].map(String.init))
            }
        }
        router.get("/proposals/:id/mentees/:mentee") { _, context in
            respond { try menteePage(try proposalID(context), mentee: context.parameters.get("mentee") ?? "") }
        }
        router.get("/log") { _, _ in respond { try logPage() } }
        router.get("/jobs/:id") { _, context in respond { try jobPage(context.parameters.get("id", as: Int.self) ?? -1) } }
        router.get("/finalise") { _, _ in respond { try finalisePage() } }
        router.post("/decisions") { request, _ in try await act(request) { try decide($0) } }
        router.post("/propose") { request, _ in try await act(request) { try propose($0) } }
        router.post("/finalise") { request, _ in try await act(request) { try finalise($0) } }
        router.post("/rematch") { request, _ in try await act(request) { try rematch($0) } }
        router.get("/compare") { _, _ in respond { try comparePage() } }
        router.post("/compare") { request, _ in try await act(request) { try compare($0) } }
        router.get("/proposals/:id/report") { _, context in
            respondRaw { (try report(try proposalID(context)), "text/html; charset=utf-8", nil) }
        }
        router.get("/proposals/:id/export/:format") { _, context in
            respondRaw { try export(try proposalID(context), format: context.parameters.get("format") ?? "") }
        }
        return router
    }

    /// Serves until the process is stopped; prints the one URL (with its token) when listening.
    public func run(announce: @escaping @Sendable (String) -> Void) async throws {
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/?token=\(token.value)"
        // The server's own log says only what goes wrong; the URL is the one line people need.
        var logger = Logger(label: "MentorMatch review room")
        logger.logLevel = .warning
        let app = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "MentorMatch"),
            onServerRunning: { _ in announce(url) }, logger: logger)
        try await app.runService()
    }

    /// `Host` values a request may carry: the bound address, and localhost for loopback. Anything
    /// else is refused (a page on another site that rebinds its name to this address cannot read).
    var allowedHosts: Set<String> {
        var hosts: Set<String> = ["\(host):\(port)"]
        if host == "127.0.0.1" || host == "::1" || host == "localhost" {
            // (A client may leave out the port of a default address; no other site's name is ever here.)
            hosts.formUnion(["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)", "127.0.0.1", "localhost", "[::1]"])
        }
        return hosts
    }

    /// Any document the room serves: never cached (the store may change at any moment).
    private static func document(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var r = Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
        r.headers[.cacheControl] = "no-store"
        return r
    }

    private static func asset(_ text: String, type: String) -> Response { document(text, type: type) }

    private func proposalID(_ context: BasicRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text) else {
            throw PageError(status: .notFound, message: "there is no proposal '\(context.parameters.get("id") ?? "")'")
        }
        return id
    }

    /// The page saying, in the CLI's words, what kept a request from being answered.
    private func failure(_ error: any Error, title: String = "Not possible") -> Response {
        let (status, body): (HTTPResponse.Status, String)
        switch error {
        case let e as PageError: (status, body) = (e.status, "<p class=\"error\">\(HTML.escape(e.message))</p>")
        case let e as InputError:
            (status, body) = (
                .badRequest, "<ul class=\"error\">" + e.diagnostics.map { "<li>\(HTML.escape($0.description))</li>" }.joined() + "</ul>"
            )
        default: (status, body) = (.internalServerError, "<p class=\"error\">\(HTML.escape("\(error)"))</p>")
        }
        return Self.html(HTML.page(title: title, program: programName, body: body), status: status)
    }

    /// A page, or the error that kept it from being made.
    func respond(_ make: () throws -> String) -> Response {
        do { return Self.html(try make()) } catch { return failure(error) }
    }

    /// A document other than a page (the report, an export), or the page of what kept it from being made.
    func respondRaw(_ make: () throws -> (text: String, type: String, download: String?)) -> Response {
        let made: (text: String, type: String, download: String?)
        do { made = try make() } catch { return failure(error) }
        var r = Self.document(made.text, type: made.type)
        // The report carries its own inline style and SVG; nothing else may load.
        r.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        if let name = made.download { r.headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return r
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var r = document(text, type: "text/html; charset=utf-8", status: status)
        r.headers[.contentSecurityPolicy] = "default-src 'self'; form-action 'self'; frame-ancestors 'none'"
        return r
    }

    /// A state-changing request: its form must carry the access token; the action's answer is a
    /// redirect (to the page to show next) or the page of what went wrong.
    func act(_ request: Request, _ action: (FormData) throws -> String) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let form = FormData(String(buffer: body))
        guard token.matches(form["token"]) else {
            return failure(
                PageError(
                    status: .forbidden,
                    message: "this form did not come from the review room's own page (its token is missing or wrong); reload the page and try again"),
                title: "Refused")
        }
        do { return Response(status: .seeOther, headers: [.location: try action(form)]) } catch { return failure(error) }
    }
}

/// A refusal worded for people, with its HTTP status.
struct PageError: Error {
    var status: HTTPResponse.Status
    var message: String
}
