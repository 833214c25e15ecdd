import Foundation
import Hummingbird

/// Lets through only requests that carry the access token — in the `token` query parameter (the
/// URL `serve` printed: the token then moves to a cookie and the address bar loses it) or in the
/// cookie — and that name this server in `Host`. POST forms are checked again by the action.
struct AccessGuard: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: AccessToken
    let hosts: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.allows(authority: request.head.authority, hosts: hosts) else {
            return refuse(.misdirectedRequest, "this review room answers only at the address `mentormatch serve` printed")
        }
        if let given = request.uri.queryParameters["token"].map(String.init) {
            guard token.matches(given) else { return refuse(.forbidden, "the link's token is not this review room's") }
            // Into the cookie, and out of the address bar (and the browser's history).
            var r = Response(status: .seeOther, headers: [.location: request.uri.path])
            r.headers[.setCookie] = "\(AccessToken.cookieName)=\(token.value); Path=/; HttpOnly; SameSite=Strict"
            return r
        }
        guard token.matches(cookie(request)) else {
            return refuse(.unauthorized, "open the link `mentormatch serve` printed (it carries this review room's token)")
        }
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// Whether a request's authority (its `Host`) names this server.
    static func allows(authority: String?, hosts: Set<String>) -> Bool {
        guard let authority else { return false }
        return hosts.contains(authority.lowercased())
    }

    private func cookie(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 && kv[0] == AccessToken.cookieName { return kv[1] }
            }
        }
        return nil
    }

    private func refuse(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "MentorMatch review room: \(message)\n")))
    }
}
