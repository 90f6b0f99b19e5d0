using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace TokenFunction.Tests.TestInfrastructure;

/// <summary>
/// The worker's public builder interface, recording what the app registers on it (<c>UseTokenFunctionMiddleware</c>),
/// so the in-process tests run the middleware the worker runs, in the order the app wrote once.
/// </summary>
internal sealed class RecordingWorkerBuilder(IServiceCollection services) : IFunctionsWorkerApplicationBuilder
{
    private readonly List<Func<FunctionExecutionDelegate, FunctionExecutionDelegate>> _middleware = [];

    public IServiceCollection Services { get; } = services;

    public IFunctionsWorkerApplicationBuilder Use(Func<FunctionExecutionDelegate, FunctionExecutionDelegate> middleware)
    {
        _middleware.Add(middleware);
        return this;
    }

    /// <summary>The pipeline as the worker composes it: the first registered outermost, <paramref name="function"/> innermost.</summary>
    public FunctionExecutionDelegate Build(FunctionExecutionDelegate function) =>
        Enumerable.Reverse(_middleware).Aggregate(function, (next, middleware) => middleware(next));
}

/// <summary>
/// One HTTP invocation's context, as the worker hands it to middleware and functions: its id, the function's
/// definition, the invocation's service scope, the trigger's request and the result slot.
/// </summary>
public sealed class InvocationContext : FunctionContext
{
    private readonly InvocationFeatures _features = new();
    private FunctionDefinition? _definition;
    private Func<FunctionContext, Task<HttpResponseData>>? _function;

    internal InvocationContext() => _features.Set(InvocationResultSlot.FeatureType, InvocationResultSlot.Create());

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override FunctionDefinition FunctionDefinition => _definition ?? throw new InvalidOperationException("The request has not been invoked yet.");

    public override IServiceProvider InstanceServices { get; set; } = NoServices;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => _features;

    public override TraceContext TraceContext => throw NotKept(nameof(TraceContext));

    public override BindingContext BindingContext => throw NotKept(nameof(BindingContext));

    public override RetryContext RetryContext => throw NotKept(nameof(RetryContext));

    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    internal void Carry(HttpRequestData request) => _features.Set<IHttpRequestDataFeature>(new RequestFeature(request));

    /// <summary>Makes this the invocation of <paramref name="definition"/> in <paramref name="scope"/>; the pipeline's end calls <paramref name="function"/>.</summary>
    internal void Begin(FunctionDefinition definition, IServiceProvider scope, Func<FunctionContext, Task<HttpResponseData>> function)
    {
        if (_definition is not null)
        {
            throw new InvalidOperationException("A request is invoked once; build another for the next invocation.");
        }

        _definition = definition;
        InstanceServices = scope;
        _function = function;
    }

    /// <summary>The pipeline's innermost step, where the worker's own execution middleware activates and runs the function.</summary>
    internal static async Task RunFunctionAsync(FunctionContext context)
    {
        var invocation = (InvocationContext)context;
        context.GetInvocationResult().Value = await invocation._function!(context);
    }

    private NotSupportedException NotKept(string member) =>
        new($"The in-process invocation of {_definition?.Name} keeps no {member}; nothing of the app reads it.");

    private sealed class RequestFeature(HttpRequestData request) : IHttpRequestDataFeature
    {
        public ValueTask<HttpRequestData?> GetHttpRequestDataAsync(FunctionContext context) => ValueTask.FromResult<HttpRequestData?>(request);
    }

    private sealed class InvocationFeatures : IInvocationFeatures
    {
        private readonly Dictionary<Type, object> _features = [];

        public void Set<T>(T instance) => Set(typeof(T), instance!);

        public void Set(Type type, object instance) => _features[type] = instance;

        public T? Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default;

        public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// The worker keeps an invocation's result in a feature whose interface is internal to it (IFunctionBindingsFeature);
/// <c>GetInvocationResult()</c>, which the middleware use to answer in place of the function, reads and writes it
/// there. This proxy implements that interface at run time, keeping the result and nothing else: an HTTP function's
/// pipeline uses nothing else of it. A worker release that renames the interface fails every in-process test at once.
/// Public and unsealed because DispatchProxy derives the proxy from it.
/// </summary>
public class InvocationResultSlot : DispatchProxy
{
    internal static readonly Type FeatureType = typeof(FunctionContext).Assembly.GetType(
        "Microsoft.Azure.Functions.Worker.Context.Features.IFunctionBindingsFeature", throwOnError: true)!;

    private object? _result;

    internal static object Create() => DispatchProxy.Create(FeatureType, typeof(InvocationResultSlot));

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case "get_InvocationResult":
                return _result;
            case "set_InvocationResult":
                _result = args![0];
                return null;
            default:
                throw new NotSupportedException($"The in-process invocation keeps only the invocation result, not {targetMethod?.Name}.");
        }
    }
}

/// <summary>A function's definition as the worker reads it from the app's metadata: its name, id and entry point.</summary>
internal sealed class InProcessFunctionDefinition : FunctionDefinition
{
    private InProcessFunctionDefinition(string name, string entryPoint, string pathToAssembly)
    {
        Name = name;
        Id = name;
        EntryPoint = entryPoint;
        PathToAssembly = pathToAssembly;
    }

    /// <summary>The function of <typeparamref name="TFunction"/> named <paramref name="name"/> by its <c>[Function]</c> attribute.</summary>
    public static InProcessFunctionDefinition Of<TFunction>(string name)
    {
        var method = typeof(TFunction).GetMethods()
                         .SingleOrDefault(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == name)
                     ?? throw new ArgumentException($"{typeof(TFunction).Name} has no function named {name}.", nameof(name));
        return new InProcessFunctionDefinition(name, $"{typeof(TFunction).FullName}.{method.Name}", typeof(TFunction).Assembly.Location);
    }

    public override ImmutableArray<FunctionParameter> Parameters => [];

    public override string PathToAssembly { get; }

    public override string EntryPoint { get; }

    public override string Id { get; }

    public override string Name { get; }

    public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;

    public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;
}
