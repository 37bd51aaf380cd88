using System.Collections.Immutable;
using Elbe.Model.Resources;

namespace Elbe.Model.Validation;

/// <summary>
/// Checks one listener rule (conditions, actions, priority) or a listener's default actions on their own, without
/// looking at the rest of the configuration. Reference checks (target groups exist, priorities unique) belong to
/// <see cref="ConfigurationValidator"/>.
/// </summary>
public static class RuleValidator
{
    public const int MinPriority = 1;
    public const int MaxPriority = 50000;
    public const int MaxValuesPerCondition = 3;
    public const int MaxSourceIpValues = 5;
    public const int MaxValuesPerRule = 5;
    public const int MaxWildcardsPerRule = 5;
    public const int MaxValueLength = 128;
    public const int MaxMethodLength = 40;
    public const int MaxHeaderNameLength = 40;

    /// <summary>Throws the first problem with <paramref name="rule"/>.</summary>
    /// <param name="listenerProtocol">The owning listener's protocol when known; some action rules depend on it.</param>
    public static void Validate(ListenerRule rule, string? listenerProtocol = null)
    {
        var errors = new ValidationErrorList();
        Check(rule, listenerProtocol, errors);
        errors.ThrowIfAny();
    }

    public static IReadOnlyList<ModelValidationException> Collect(ListenerRule rule, string? listenerProtocol = null)
    {
        var errors = new ValidationErrorList();
        Check(rule, listenerProtocol, errors);
        return errors.Errors;
    }

    /// <summary>Throws the first problem with the listener's default actions.</summary>
    public static void ValidateDefaultActions(Listener listener)
    {
        var errors = new ValidationErrorList();
        CheckActions(listener.DefaultActions, listener.Protocol, listener.Arn, "DefaultActions", errors);
        errors.ThrowIfAny();
    }

    public static void Check(ListenerRule rule, string? listenerProtocol, ValidationErrorList errors)
    {
        if (rule.Priority is < MinPriority or > MaxPriority)
            errors.Add(ErrorCodes.ValidationError, $"Priority must be between {MinPriority} and {MaxPriority}; '{rule.Priority}' is not valid", rule.Arn, "Priority");
        CheckConditions(rule.Conditions, rule.Arn, errors);
        CheckActions(rule.Actions, listenerProtocol, rule.Arn, "Actions", errors);
    }

    public static void CheckConditions(ImmutableArray<RuleCondition> conditions, string? arn, ValidationErrorList errors)
    {
        if (conditions.IsDefault) return;
        var seenSingletons = new HashSet<string>(StringComparer.Ordinal);
        var totalValues = 0;
        var totalWildcards = 0;
        for (var i = 0; i < conditions.Length; i++)
        {
            var c = conditions[i];
            var at = $"Conditions[{i}]";
            var config = ConfigName(c.Field);
            if (config is null)
            {
                errors.Add(ErrorCodes.ValidationError, $"Condition field '{c.Field}' is not valid; use one of host-header, path-pattern, http-request-method, source-ip, http-header, query-string", arn, at + ".Field");
                continue;
            }
            if (c.Field is ConditionFields.HostHeader or ConditionFields.PathPattern or ConditionFields.HttpRequestMethod or ConditionFields.SourceIp
                && !seenSingletons.Add(c.Field))
                errors.Add(ErrorCodes.ValidationError, $"A rule can have at most one '{c.Field}' condition", arn, at);

            var valuesAt = $"{at}.{config}.Values";
            var count = c.Field == ConditionFields.QueryString ? c.QueryStringValues.Length : c.Values.Length + (c.RegexValues.IsDefault ? 0 : c.RegexValues.Length);
            totalValues += count;
            var perCondition = c.Field == ConditionFields.SourceIp ? MaxSourceIpValues : MaxValuesPerCondition;
            if (count == 0)
                errors.Add(ErrorCodes.ValidationError, $"A '{c.Field}' condition must have at least one value", arn, valuesAt);
            else if (count > perCondition)
                errors.Add(ErrorCodes.ValidationError, $"A '{c.Field}' condition can have at most {perCondition} values", arn, valuesAt);

            switch (c.Field)
            {
                case ConditionFields.HostHeader:
                    for (var v = 0; v < c.Values.Length; v++)
                    {
                        totalWildcards += CountWildcards(c.Values[v], escapes: false);
                        if (CheckHostPattern(c.Values[v]) is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}]");
                    }
                    break;
                case ConditionFields.PathPattern:
                    for (var v = 0; v < c.Values.Length; v++)
                    {
                        totalWildcards += CountWildcards(c.Values[v], escapes: false);
                        if (CheckPathPattern(c.Values[v]) is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}]");
                    }
                    break;
                case ConditionFields.HttpRequestMethod:
                    for (var v = 0; v < c.Values.Length; v++)
                        if (CheckMethod(c.Values[v]) is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}]");
                    break;
                case ConditionFields.SourceIp:
                    for (var v = 0; v < c.Values.Length; v++)
                        if (CheckSourceIp(c.Values[v]) is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}]");
                    break;
                case ConditionFields.HttpHeader:
                    if (CheckHeaderName(c.HttpHeaderName) is { } nameWhy)
                        errors.Add(ErrorCodes.ValidationError, nameWhy, arn, $"{at}.{config}.HttpHeaderName");
                    for (var v = 0; v < c.Values.Length; v++)
                    {
                        totalWildcards += CountWildcards(c.Values[v], escapes: false);
                        if (CheckFreeText(c.Values[v], "HTTP header value") is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}]");
                    }
                    break;
                case ConditionFields.QueryString:
                    for (var v = 0; v < c.QueryStringValues.Length; v++)
                    {
                        var pair = c.QueryStringValues[v];
                        if (pair.Key is not null)
                        {
                            totalWildcards += CountWildcards(pair.Key, escapes: true);
                            if (CheckFreeText(pair.Key, "Query string key") is { } keyWhy) errors.Add(ErrorCodes.ValidationError, keyWhy, arn, $"{valuesAt}[{v}].Key");
                        }
                        totalWildcards += CountWildcards(pair.Value, escapes: true);
                        if (CheckFreeText(pair.Value, "Query string value") is { } why) errors.Add(ErrorCodes.ValidationError, why, arn, $"{valuesAt}[{v}].Value");
                    }
                    break;
            }
        }

        if (totalValues > MaxValuesPerRule)
            errors.Add(ErrorCodes.ValidationError, $"A rule can have at most {MaxValuesPerRule} condition values in total; this one has {totalValues}", arn, "Conditions");
        if (totalWildcards > MaxWildcardsPerRule)
            errors.Add(ErrorCodes.ValidationError, $"A rule can have at most {MaxWildcardsPerRule} wildcard characters in its conditions; this one has {totalWildcards}", arn, "Conditions");
    }

    /// <param name="pathPrefix"><c>Actions</c> for a rule, <c>DefaultActions</c> for a listener.</param>
    public static void CheckActions(ImmutableArray<RuleAction> actions, string? listenerProtocol, string? arn, string pathPrefix, ValidationErrorList errors) =>
        ActionValidator.Check(actions, listenerProtocol, arn, pathPrefix, errors);

    private static string? ConfigName(string field) => field switch
    {
        ConditionFields.HostHeader => "HostHeaderConfig",
        ConditionFields.PathPattern => "PathPatternConfig",
        ConditionFields.HttpRequestMethod => "HttpRequestMethodConfig",
        ConditionFields.SourceIp => "SourceIpConfig",
        ConditionFields.HttpHeader => "HttpHeaderConfig",
        ConditionFields.QueryString => "QueryStringConfig",
        _ => null,
    };

    /// <summary>Wildcards count against the per-rule limit; escaped ones (query-string <c>\*</c>) are literals and do not.</summary>
    public static int CountWildcards(string value, bool escapes)
    {
        var n = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (escapes && value[i] == '\\' && i + 1 < value.Length && value[i + 1] is '*' or '?') { i++; continue; }
            if (value[i] is '*' or '?') n++;
        }
        return n;
    }

    private static string? CheckHostPattern(string value)
    {
        if (CheckLength(value, "Host header value") is { } why) return why;
        foreach (var ch in value)
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not ('-' or '.' or '*' or '?'))
                return $"Host header value '{value}' can contain only A-Z, a-z, 0-9, '-', '.', '*' and '?'";
        var lastDot = value.LastIndexOf('.');
        if (lastDot < 0) return $"Host header value '{value}' must contain at least one '.'";
        var tail = value.AsSpan(lastDot + 1);
        // The documentation allows only alphanumerics after the last dot; wildcards are accepted there too so
        // patterns such as "example.*" keep working.
        if (tail.IsEmpty) return $"Host header value '{value}' must not end with '.'";
        foreach (var ch in tail)
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not ('*' or '?'))
                return $"Host header value '{value}' can contain only alphanumeric characters after the last '.'";
        return null;
    }

    private static string? CheckPathPattern(string value)
    {
        if (CheckLength(value, "Path pattern") is { } why) return why;
        foreach (var ch in value)
            if (!char.IsAsciiLetterOrDigit(ch) && ch is not ('_' or '-' or '.' or '$' or '/' or '~' or '"' or '\'' or '@' or ':' or '+' or '&' or '*' or '?'))
                return $"Path pattern '{value}' contains the character '{ch}', which is not allowed";
        return null;
    }

    private static string? CheckMethod(string value)
    {
        if (string.IsNullOrEmpty(value)) return "HTTP request method cannot be empty";
        if (value.Length > MaxMethodLength) return $"HTTP request method '{value}' cannot be longer than {MaxMethodLength} characters";
        foreach (var ch in value)
            if (!char.IsAsciiLetterUpper(ch) && ch is not ('-' or '_'))
                return $"HTTP request method '{value}' can contain only A-Z, '-' and '_'";
        return null;
    }

    private static string? CheckSourceIp(string value)
    {
        if (string.IsNullOrEmpty(value)) return "Source IP value cannot be empty";
        if (!CidrNotation.IsValid(value, out _, out _)) return $"Source IP value '{value}' is not a valid CIDR block";
        if (value == "255.255.255.255/32") return "Source IP value '255.255.255.255/32' is not allowed";
        return null;
    }

    private static string? CheckHeaderName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "An http-header condition must name the header";
        if (name.Length > MaxHeaderNameLength) return $"HTTP header name '{name}' cannot be longer than {MaxHeaderNameLength} characters";
        foreach (var ch in name)
            if (!IsTokenChar(ch) || ch == '*')
                return $"HTTP header name '{name}' must be a valid RFC 7230 token without wildcards";
        if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) return "Use a host-header condition to match the Host header";
        return null;
    }

    private static string? CheckFreeText(string value, string what)
    {
        if (CheckLength(value, what) is { } why) return why;
        foreach (var ch in value)
            if (ch < 0x20 || ch == 0x7F) return $"{what} '{value}' cannot contain control characters";
        return null;
    }

    private static string? CheckLength(string value, string what)
    {
        if (string.IsNullOrEmpty(value)) return $"{what} cannot be empty";
        return value.Length > MaxValueLength ? $"{what} '{value}' cannot be longer than {MaxValueLength} characters" : null;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
