using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using System.Diagnostics;

namespace TokenFunction.Telemetry;

internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>Set by the platform where the app has Application Insights; export goes there, authenticated with Entra ID.</summary>
    public const string AzureMonitorConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>OpenTelemetry's standard setting; with it the worker exports over OTLP (a local collector or dashboard).</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service's instruments: registered by every feature that records on them; they cost nothing unobserved.</summary>
    public static IServiceCollection AddServiceInstruments(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ServiceMetrics>();
        services.TryAddSingleton<Refusals>();
        return services;
    }

    /// <summary>
    /// The service's instruments always, and an OpenTelemetry pipeline only when
    /// an exporter is configured: <c>UseFunctionsWorkerDefaults</c> tells the host that the worker exports its
    /// own telemetry, after which the host stops forwarding the worker's logs, so without an exporter it stays off.
    /// </summary>
    /// <param name="azureMonitorCredential">The app's identity for Application Insights ingestion (local auth is off there); built only when that export is on.</param>
    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services, IConfiguration configuration,
        Func<TokenCredential> azureMonitorCredential)
    {
        services.AddServiceInstruments();

        var azureMonitor = configuration[AzureMonitorConnectionStringSetting];
        var otlp = configuration[OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(azureMonitor) && string.IsNullOrWhiteSpace(otlp))
        {
            return services;
        }

        var telemetry = services.AddServiceTelemetryPipeline();
        services.SendOnlyWarningsToTheHost();
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            telemetry.UseOtlpExporter();
        }

        if (!string.IsNullOrWhiteSpace(azureMonitor))
        {
            telemetry.UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = azureMonitor;
                exporter.Credential = azureMonitorCredential();
            });
        }

        return services;
    }

    /// <summary>
    /// What is collected, without an exporter (the caller adds one): the worker's invocation spans, the service's
    /// own spans and instruments, the Azure SDK's spans (Key Vault), outgoing HttpClient calls, and logs.
    /// </summary>
    public static IOpenTelemetryBuilder AddServiceTelemetryPipeline(this IServiceCollection services) =>
        services.AddServiceInstruments()
            .AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(TelemetryNames.FunctionsWorkerActivitySource, TelemetryNames.ActivitySourceName, TelemetryNames.AzureSdkActivitySources)
                .AddHttpClientInstrumentation(http =>
                {
                    http.FilterHttpRequestMessage = request => !IsFunctionsHostChannel(request);
                    http.EnrichWithHttpRequestMessage = RecordUrlTemplate;
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryNames.MeterName)
                .AddHttpClientInstrumentation())
            .WithLogging();

    /// <summary>
    /// With an exporter, the worker's logs reach Application Insights or the collector through it, and the host drops
    /// the copies it receives over gRPC from its own export (it filters the <c>Function.*</c> categories once the
    /// worker says it exports). Sending every line there anyway costs the request path a gRPC message each (the
    /// audit line is one per token) for nothing, so only warnings and errors still go, for the host's own console
    /// and log stream.
    /// </summary>
    internal static IServiceCollection SendOnlyWarningsToTheHost(this IServiceCollection services) =>
        services.Configure<LoggerFilterOptions>(filters =>
            filters.Rules.Add(new LoggerFilterRule(FunctionsHostLoggerProvider, categoryName: null, LogLevel.Warning, filter: null)));

    /// <summary>The worker SDK's logger provider that writes each line to the host as a gRPC message (an internal type, matched by name).</summary>
    internal const string FunctionsHostLoggerProvider = "Microsoft.Azure.Functions.Worker.Logging.WorkerLoggerProvider";

    /// <summary>The worker's one long-lived gRPC stream to the Functions host: a span as long as the process, telling nothing.</summary>
    private static bool IsFunctionsHostChannel(HttpRequestMessage request) =>
        request.RequestUri?.AbsolutePath.StartsWith("/AzureFunctionsRpcMessages.", StringComparison.Ordinal) == true;

    /// <summary>A path holding a room id is recorded as its template: ids never become span attributes.</summary>
    private static void RecordUrlTemplate(Activity activity, HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(ServiceActivities.UrlTemplate, out var template) && request.RequestUri is { } uri)
        {
            activity.SetTag("url.full", $"{uri.GetLeftPart(UriPartial.Authority)}/{template}");
            activity.SetTag("url.template", template);
        }
    }
}
