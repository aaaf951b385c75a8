using System.Reflection;
using System.Reflection.Emit;

namespace Baoming.Tests.Architecture;

/// <summary>
/// The folders of the product, lowest first: a folder may name its own types and those of folders
/// before it, never one after it. A new back-edge fails here, naming the two types.
/// </summary>
public sealed class DependencyDirectionTests
{
    /// <summary>
    /// Platform (shared plumbing that names no feature), then the engine (members, roles, the chat and
    /// its plug-in contracts), then the features, then the channels, then the composition (the host,
    /// the verbs). Types in the root namespace (Program) are composition.
    /// </summary>
    private static readonly string[] Order =
    [
        "Platform", "Community", "Messaging", "Storage", "Metrics", "Jobs", "FollowUps", "Delivery",
        "Members", "Audit", "Chat",
        "Sessions", "Signup", "Export", "Attendance", "Reminders", "Broadcasts", "Roles", "Notes",
        "Questions", "Feedback", "AfterSession", "History", "Sources", "Series", "Stats",
        "Telegram", "Web", "Hosting", "Shell", "Cli", "",
    ];

    private static readonly Assembly Product = typeof(Baoming.Hosting.BaomingHost).Assembly;

    [Fact]
    public void Every_folder_of_the_product_has_a_place_in_the_order()
    {
        var unplaced = Product.GetTypes().Select(FolderOf).Where(f => f is not null && !Order.Contains(f)).Distinct().ToList();
        Assert.True(unplaced.Count == 0, $"Folders missing from the order: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void Dependencies_run_one_way_from_the_composition_down_to_the_platform()
    {
        var backEdges = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in Product.GetTypes())
        {
            if (FolderOf(type) is not { } from || Array.IndexOf(Order, from) is var rank && rank < 0)
            {
                continue;
            }

            foreach (var used in Referenced(type))
            {
                if (used.Assembly == Product && FolderOf(used) is { } to && Array.IndexOf(Order, to) > rank)
                {
                    backEdges.Add($"{from} → {to}: {Describe(type)} names {Describe(used)}");
                }
            }
        }

        Assert.True(backEdges.Count == 0, $"{backEdges.Count} back-edge(s):\n{string.Join('\n', backEdges)}");
    }

    [Fact]
    public void The_scan_sees_constructor_parameters_and_method_bodies()
    {
        // The test above is only as good as its eyes: a type known to use another in both ways.
        var seen = Referenced(typeof(Baoming.Hosting.BaomingHost));
        Assert.Contains(typeof(Baoming.Storage.Migrator), seen);
    }

    /// <summary>Top-level namespace segment under Baoming ("" for the root), or null for types of other namespaces.</summary>
    private static string? FolderOf(Type type)
    {
        var ns = type.Namespace;
        if (ns is null || !(ns == "Baoming" || ns.StartsWith("Baoming.", StringComparison.Ordinal)))
        {
            // Top-level statements' Program; compiler-made types (anonymous types, collection literals) have no folder.
            return ns is null && type.Assembly == Product && type.Name == "Program" ? "" : null;
        }

        var parts = ns.Split('.');
        return parts.Length == 1 ? "" : parts[1];
    }

    private static string Describe(Type type)
    {
        var named = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return (named.DeclaringType is { } outer && named.Name.Contains('<', StringComparison.Ordinal) ? outer : named).FullName ?? named.Name;
    }

    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type a type's signatures, fields, attributes and method bodies (IL tokens, locals) name.</summary>
    private static HashSet<Type> Referenced(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || !found.Add(t))
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }

            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(Everything))
        {
            Add(property.PropertyType);
        }

        foreach (var attribute in type.GetCustomAttributesData())
        {
            Add(attribute.AttributeType);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var t in BodyReferences(method))
            {
                Add(t);
            }
        }

        foreach (var nested in type.GetNestedTypes(Everything).Where(n => n.Name.Contains('<', StringComparison.Ordinal)))
        {
            // Compiler-made types (lambdas' closures, async state machines) belong to the type that wrote them.
            foreach (var t in Referenced(nested))
            {
                Add(t);
            }
        }

        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            var operandSize = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                if (member is Type t)
                {
                    yield return t;
                }
                else if (member is not null)
                {
                    yield return member.DeclaringType!;
                    if (member is MethodInfo m)
                    {
                        yield return m.ReturnType;
                        foreach (var argument in m.IsGenericMethod ? m.GetGenericArguments() : [])
                        {
                            // AddSingleton<ITopic, ReminderTopic>(): the type arguments are what is named.
                            yield return argument;
                        }
                    }
                }
            }

            at += operandSize;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
