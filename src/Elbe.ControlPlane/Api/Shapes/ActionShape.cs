using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.ControlPlane.Api.Shapes;

/// <summary>
/// The ELBv2 <c>Action</c> shape: read from <c>Actions.member.N.*</c> / <c>DefaultActions.member.N.*</c> into
/// <see cref="RuleAction"/>, and written back the way AWS describes it (a plain forward also shows its
/// ForwardConfig, a redirect shows every part, an OIDC client secret never comes back).
/// </summary>
public static class ActionShape
{
    private static readonly string[] UnauthenticatedBehaviours = ["deny", "allow", "authenticate"];
    private static readonly string[] ClaimFormats = ["single-string", "string-array", "space-separated-values"];

    /// <summary>The action list under <paramref name="member"/>, or null when the request does not carry it.</summary>
    public static ImmutableArray<RuleAction>? ReadList(QueryParameters parameters, string member)
    {
        var items = parameters.GetStructList(member);
        if (items is null) return null;
        var actions = ImmutableArray.CreateBuilder<RuleAction>(items.Count);
        foreach (var item in items) actions.Add(Read(item));
        return actions.MoveToImmutable();
    }

    /// <summary>Like <see cref="ReadList"/>, refusing a missing list the way AWS refuses a missing required member.</summary>
    public static ImmutableArray<RuleAction> RequireList(QueryParameters parameters, string member) =>
        ReadList(parameters, member) ?? throw ApiException.Constraint(parameters.MemberName(member), null, "Member must not be null");

    public static RuleAction Read(QueryParameters a)
    {
        var action = ReadMembers(a);
        // The template loader has no way to configure these, so this check lives with the API's reader.
        if (action.Type == ActionTypes.AuthenticateOidc && action.AuthenticateOidc is null
            || action.Type == ActionTypes.AuthenticateCognito && action.AuthenticateCognito is null
            || action.Type == ActionTypes.JwtValidation && action.JwtValidation is null)
            throw new ApiException("InvalidLoadBalancerAction", $"An action of type '{action.Type}' needs its configuration");
        return action;
    }

    private static RuleAction ReadMembers(QueryParameters a) => new()
    {
        Type = a.Require("Type"),
        Order = a.GetInt("Order"),
        TargetGroupArn = NullIfEmpty(a.Get("TargetGroupArn")),
        Forward = a.GetStruct("ForwardConfig") is { } f ? ReadForward(f) : null,
        Redirect = a.GetStruct("RedirectConfig") is { } r ? ReadRedirect(r) : null,
        FixedResponse = a.GetStruct("FixedResponseConfig") is { } x
            ? new FixedResponseConfig { StatusCode = x.Require("StatusCode"), ContentType = x.Get("ContentType"), MessageBody = x.Get("MessageBody") }
            : null,
        AuthenticateOidc = a.GetStruct("AuthenticateOidcConfig") is { } o ? ReadOidc(o) : null,
        AuthenticateCognito = a.GetStruct("AuthenticateCognitoConfig") is { } c ? ReadCognito(c) : null,
        JwtValidation = a.GetStruct("JwtValidationConfig") is { } j ? ReadJwt(j) : null,
    };

    /// <summary>
    /// An OIDC action sent without ClientSecret (ModifyRule/ModifyListener with UseExistingClientSecret) keeps the
    /// secret of the OIDC action it replaces; with nothing to keep, the secret is missing and the call is refused.
    /// </summary>
    public static ImmutableArray<RuleAction> KeepClientSecrets(ImmutableArray<RuleAction> given, ImmutableArray<RuleAction> previous)
    {
        var kept = previous.IsDefault ? null : previous.FirstOrDefault(p => p.AuthenticateOidc?.ClientSecret is not null)?.AuthenticateOidc?.ClientSecret;
        var result = ImmutableArray.CreateBuilder<RuleAction>(given.Length);
        for (var i = 0; i < given.Length; i++)
        {
            var action = given[i];
            if (action.AuthenticateOidc is { ClientSecret: null } oidc)
            {
                if (kept is null)
                    throw ApiException.Validation("A client secret must be specified for an authenticate-oidc action unless UseExistingClientSecret is true on an action that has one");
                action = action with { AuthenticateOidc = oidc with { ClientSecret = kept } };
            }
            result.Add(action);
        }
        return result.MoveToImmutable();
    }

    public static void Write(AwsXmlWriter w, RuleAction action)
    {
        w.Value("Type", action.Type);
        w.Value("Order", action.Order);
        if (action.Type == ActionTypes.Forward)
        {
            var groups = action.ForwardTargetGroups;
            w.Value("TargetGroupArn", action.TargetGroupArn ?? (groups.Length == 1 ? groups[0].TargetGroupArn : null));
            w.Struct("ForwardConfig", f =>
            {
                f.List("TargetGroups", groups, (t, g) => t.Value("TargetGroupArn", g.TargetGroupArn).Value("Weight", g.Weight));
                var sticky = action.Forward?.StickinessEnabled ?? false;
                f.Struct("TargetGroupStickinessConfig", s => s
                    .Value("Enabled", sticky)
                    .Value("DurationSeconds", sticky ? action.Forward!.StickinessDurationSeconds : null));
            });
        }
        if (action.Redirect is { } r)
        {
            w.Struct("RedirectConfig", x => x
                .Value("Protocol", r.Protocol)
                .Value("Port", r.Port)
                .Value("Host", r.Host)
                .Value("Path", r.Path)
                .Value("Query", r.Query)
                .Value("StatusCode", r.StatusCode));
        }
        if (action.FixedResponse is { } fixedResponse)
        {
            w.Struct("FixedResponseConfig", x => x
                .Value("MessageBody", fixedResponse.MessageBody)
                .Value("StatusCode", fixedResponse.StatusCode)
                .Value("ContentType", fixedResponse.ContentType));
        }
        if (action.AuthenticateOidc is { } oidc)
        {
            w.Struct("AuthenticateOidcConfig", x =>
            {
                x.Value("Issuer", oidc.Issuer)
                    .Value("AuthorizationEndpoint", oidc.AuthorizationEndpoint)
                    .Value("TokenEndpoint", oidc.TokenEndpoint)
                    .Value("UserInfoEndpoint", oidc.UserInfoEndpoint)
                    .Value("ClientId", oidc.ClientId);
                WriteSession(x, oidc.Session);
            });
        }
        if (action.AuthenticateCognito is { } cognito)
        {
            w.Struct("AuthenticateCognitoConfig", x =>
            {
                x.Value("UserPoolArn", cognito.UserPoolArn)
                    .Value("UserPoolClientId", cognito.UserPoolClientId)
                    .Value("UserPoolDomain", cognito.UserPoolDomain);
                WriteSession(x, cognito.Session);
            });
        }
        if (action.JwtValidation is { } jwt)
        {
            w.Struct("JwtValidationConfig", x =>
            {
                x.Value("JwksEndpoint", jwt.JwksEndpoint).Value("Issuer", jwt.Issuer);
                if (jwt.AdditionalClaims.Length > 0)
                    x.List("AdditionalClaims", jwt.AdditionalClaims, (c, claim) => c
                        .Value("Format", claim.Format)
                        .Value("Name", claim.Name)
                        .StringList("Values", claim.Values));
            });
        }
    }

    private static ForwardConfig ReadForward(QueryParameters f)
    {
        var groups = ImmutableArray.CreateBuilder<WeightedTargetGroup>();
        foreach (var t in f.GetStructList("TargetGroups") ?? [])
            groups.Add(new WeightedTargetGroup(t.Require("TargetGroupArn"), t.GetInt("Weight") ?? 1));
        var stickiness = f.GetStruct("TargetGroupStickinessConfig");
        return new ForwardConfig
        {
            TargetGroups = groups.ToImmutable(),
            StickinessEnabled = stickiness?.GetBool("Enabled") ?? false,
            StickinessDurationSeconds = stickiness?.GetInt("DurationSeconds"),
        };
    }

    private static RedirectConfig ReadRedirect(QueryParameters r)
    {
        var defaults = new RedirectConfig { StatusCode = r.Require("StatusCode") };
        return defaults with
        {
            Protocol = r.Get("Protocol") ?? defaults.Protocol,
            Port = r.Get("Port") ?? defaults.Port,
            Host = r.Get("Host") ?? defaults.Host,
            Path = r.Get("Path") ?? defaults.Path,
            Query = r.Get("Query") ?? defaults.Query,
        };
    }

    private static AuthenticateOidcConfig ReadOidc(QueryParameters o) => new()
    {
        Issuer = o.Require("Issuer"),
        AuthorizationEndpoint = o.Require("AuthorizationEndpoint"),
        TokenEndpoint = o.Require("TokenEndpoint"),
        UserInfoEndpoint = o.Require("UserInfoEndpoint"),
        ClientId = o.Require("ClientId"),
        // UseExistingClientSecret=true means "keep the stored one" even if a secret was sent too.
        ClientSecret = o.GetBool("UseExistingClientSecret") == true ? null : NullIfEmpty(o.Get("ClientSecret")),
        Session = ReadSession(o),
    };

    private static AuthenticateCognitoConfig ReadCognito(QueryParameters c) => new()
    {
        UserPoolArn = c.Require("UserPoolArn"),
        UserPoolClientId = c.Require("UserPoolClientId"),
        UserPoolDomain = c.Require("UserPoolDomain"),
        Session = ReadSession(c),
    };

    private static AuthenticationSession ReadSession(QueryParameters p)
    {
        var defaults = new AuthenticationSession();
        var behaviour = p.Get("OnUnauthenticatedRequest") ?? defaults.OnUnauthenticatedRequest;
        if (Array.IndexOf(UnauthenticatedBehaviours, behaviour) < 0)
            throw ApiException.Constraint(p.MemberName("OnUnauthenticatedRequest"), behaviour, "Member must satisfy enum value set: [deny, allow, authenticate]");
        var extra = p.GetMap("AuthenticationRequestExtraParams");
        if (extra is { Count: > 10 })
            throw ApiException.Validation("An authenticate action can have at most 10 authentication request extra parameters");
        return defaults with
        {
            SessionCookieName = p.Get("SessionCookieName") ?? defaults.SessionCookieName,
            Scope = p.Get("Scope") ?? defaults.Scope,
            SessionTimeout = p.GetLong("SessionTimeout") ?? defaults.SessionTimeout,
            AuthenticationRequestExtraParams = extra?.ToImmutableSortedDictionary(StringComparer.Ordinal),
            OnUnauthenticatedRequest = behaviour,
        };
    }

    private static JwtValidationConfig ReadJwt(QueryParameters j)
    {
        var claims = ImmutableArray.CreateBuilder<JwtClaimRequirement>();
        foreach (var c in j.GetStructList("AdditionalClaims") ?? [])
        {
            var format = c.Require("Format");
            if (Array.IndexOf(ClaimFormats, format) < 0)
                throw ApiException.Constraint(c.MemberName("Format"), format, "Member must satisfy enum value set: [single-string, string-array, space-separated-values]");
            var name = c.Require("Name");
            if (name is "exp" or "iss" or "nbf" or "iat")
                throw ApiException.Validation($"The claim '{name}' is validated already and cannot be an additional claim");
            var values = c.GetList("Values") ?? throw ApiException.Constraint(c.MemberName("Values"), null, "Member must not be null");
            claims.Add(new JwtClaimRequirement(format, name, [.. values]));
        }
        if (claims.Count > 10)
            throw ApiException.Validation("A jwt-validation action can have at most 10 additional claims");
        return new JwtValidationConfig { JwksEndpoint = j.Require("JwksEndpoint"), Issuer = j.Require("Issuer"), AdditionalClaims = claims.ToImmutable() };
    }

    private static void WriteSession(AwsXmlWriter x, AuthenticationSession s)
    {
        x.Value("SessionCookieName", s.SessionCookieName)
            .Value("Scope", s.Scope)
            .Value("SessionTimeout", s.SessionTimeout)
            .Value("OnUnauthenticatedRequest", s.OnUnauthenticatedRequest);
        if (s.AuthenticationRequestExtraParams is { } extra) x.Map("AuthenticationRequestExtraParams", extra);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
