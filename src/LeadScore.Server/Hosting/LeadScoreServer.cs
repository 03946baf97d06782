using System.Threading.RateLimiting;
using LeadScore.Server.Dashboard;
using LeadScore.Server.Features.Automations;
using LeadScore.Server.Features.Events;
using LeadScore.Server.Features.Health;
using LeadScore.Server.Features.Jobs;
using LeadScore.Server.Features.Keys;
using LeadScore.Server.Features.Leads;
using LeadScore.Server.Features.Models;
using LeadScore.Server.Features.Outcomes;
using LeadScore.Server.Features.Predictive;
using LeadScore.Server.Features.Records;
using LeadScore.Server.Features.Reviews;
using LeadScore.Server.Features.Sources;
using LeadScore.Server.Features.Tracking;
using LeadScore.Server.Http;
using LeadScore.Server.Security;
using LeadScore.Server.Telemetry;
using LeadScore.Server.Webhooks;
using LeadScore.Server.Workers;
using LeadScore.Storage;
using LeadScore.Storage.Records;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Scalar.AspNetCore;

namespace LeadScore.Server.Hosting;

/// <summary>Builds the LeadScore HTTP server: the store, the API under <c>/api/v1</c>, keys, limits, docs, probes and workers.</summary>
public static class LeadScoreServer
{
    /// <summary>
    /// Opens the store (applying migrations), makes the first admin key when the database has none,
    /// and configures the server. Start it with <see cref="ServerHost.StartAsync"/> or <see cref="ServerHost.RunAsync"/>.
    /// </summary>
    public static async Task<ServerHost> CreateAsync(ServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!WebhookTargetPolicy.TryCreate(options.WebhookAllowedNetworks, out var webhookPolicy, out var problem))
        {
            throw new ArgumentException($"The webhook allow-list is invalid: {problem}", nameof(options));
        }

        var store = await LeadStore.OpenAsync(options.Connection, options.Time, cancellationToken);
        CreatedApiKey? firstKey = null;
        try
        {
            if (!await store.Keys.AnyApiKeyAsync(cancellationToken))
            {
                firstKey = await store.Keys.CreateApiKeyAsync(WorkspaceId.Default, ApiKeyScope.Admin, "first admin key", cancellationToken);
            }

            return new ServerHost(Build(options, store, webhookPolicy!), firstKey);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private static WebApplication Build(ServerOptions options, ILeadStore store, WebhookTargetPolicy webhookPolicy)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LeadScoreServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBatchBodyBytes;
        });

        ConfigureLogging(builder.Logging, options);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(options.Time);

        // Registered through a factory so the container disposes the store when the server stops.
        services.AddSingleton<ILeadStore>(_ => store);
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<DashboardSessionCache>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<EventGroupCommit>();
        services.AddSingleton<LeadScoreMetrics>();
        services.AddHostedService<JobWorker>();
        services.AddHostedService<Sweeper>();
        services.AddSingleton(webhookPolicy);
        services.AddSingleton<TrackingGuards>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddSingleton<PredictiveRuns>();
        services.AddHostedService<PredictiveScheduler>();
        services.AddSingleton<ModelReviews>();
        services.AddHostedService<ReviewScheduler>();

        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddRateLimiter(limiter => ConfigureRateLimits(limiter, options));
        services.Configure<JsonOptions>(json => ApiJson.Configure(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemsForExceptions.Customize);
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<ApiDocument>().AddSchemaTransformer<ApiSchemas>());
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("leadscore")).WithMetrics(metrics =>
        {
            metrics.AddMeter(LeadScoreMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            metrics.AddPrometheusExporter();
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
            {
                metrics.AddOtlpExporter();
            }
        });

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = ProblemsForExceptions.StatusOf,

            // A client's unreadable request is answered with a 4xx; it is not the server's error to log with a stack trace.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.Use(UrlText.GuardAsync);
        app.UseAuthentication();
        app.Use(SessionCookie.GuardAsync);
        app.UseRateLimiter();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", scalar => scalar.WithTitle("LeadScore API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapHealthApi();
        app.MapTrackingApi(options);
        app.MapSegmentApi();
        app.MapDashboard(options);

        var api = app.MapGroup("/api/v1");
        api.MapRecordsApi(options);
        api.MapEventsApi(options);
        api.MapModelsApi(options);
        api.MapLeadsApi();
        api.MapOutcomesApi(options);
        api.MapJobsApi();
        api.MapKeysApi(options);
        api.MapAutomationsApi(options);
        api.MapTrackingAdminApi(options);
        api.MapSourcesApi(options);
        api.MapPredictiveApi(options);
        api.MapReviewsApi(options);
        return app;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerOptions options)
    {
        logging.ClearProviders();
        if (options.JsonLogs)
        {
            logging.AddJsonConsole(json => json.TimestampFormat = "O");
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }

        // One line per request at 5,000 requests/s would drown what matters.
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The command prints where it listens itself; the host's start-up lines would repeat it.
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // Data protection is set up by authentication but protects nothing here (keys are bearer tokens, or the dashboard's cookie holding one).
        logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
    }

    private static void ConfigureRateLimits(RateLimiterOptions limiter, ServerOptions options)
    {
        // Each key (or, before authentication succeeds, each client address) has its own token bucket,
        // refilled in steps of at most 100 ms; below 10 requests/s a step is one token, so it takes longer.
        var tokensPerPeriod = Math.Max(1, options.RequestsPerSecondPerKey / 10);
        var period = TimeSpan.FromSeconds((double)tokensPerPeriod / options.RequestsPerSecondPerKey);
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            RateLimitPartition.GetTokenBucketLimiter(
                http.User.KeyId() is { } keyId ? "key:" + keyId : "ip:" + http.Connection.RemoteIpAddress,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.BurstPerKey,
                    TokensPerPeriod = tokensPerPeriod,
                    ReplenishmentPeriod = period,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            var seconds = Problems.RetrySeconds(retryAfter);
            await Problems.TooManyRequests(context.HttpContext.Response, retryAfter,
                $"This key made more than {options.RequestsPerSecondPerKey:N0} requests per second (bursts up to {options.BurstPerKey:N0}); retry after {seconds} s, or send events in batches.")
                .ExecuteAsync(context.HttpContext);
        };
    }
}
