using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Core.Partners;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The operator's view of the notification outbox (ADR 0014): <c>GET /operator/notifications?status=</c>
/// (dead letters unless another status is asked for), and re-drive of one dead letter or of all of them.
/// Operator only; a re-drive is audited with the change it makes.
/// </summary>
public static class NotificationOperatorEndpoints
{
    private const int ListLimit = 500;

    public static void MapNotificationOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/operator/notifications");
        group.MapGet("", async (HttpContext context, INotificationStore store, string? status) =>
        {
            EnsureOperator(context);
            return Results.Json(await store.ListAsync(status ?? NotificationStatus.Dead, ListLimit, context.RequestAborted));
        });
        group.MapPost("/dead/redrive", async (HttpContext context, NotificationRedriveService redrive, TimeProvider time) =>
        {
            EnsureOperator(context);
            var redriven = await redrive.RedriveAsync(Actor(context, time), null, context.RequestAborted);
            return Results.Json(new { redriven = redriven.Count, deliveryIds = redriven.Select(r => r.DeliveryId) });
        });
        group.MapPost("/{deliveryId}/redrive", async (HttpContext context, string deliveryId, NotificationRedriveService redrive, TimeProvider time) =>
        {
            EnsureOperator(context);
            var redriven = await redrive.RedriveAsync(Actor(context, time), deliveryId, context.RequestAborted);
            return redriven.Count == 0
                ? throw new GatewayException(ErrorKind.NotFound, "not-found", $"No dead-letter notification {deliveryId}")
                : Results.Json(new { redriven = redriven.Count, deliveryIds = redriven.Select(r => r.DeliveryId) });
        });
    }

    private static AuditRecord Actor(HttpContext context, TimeProvider time) =>
        AuditRecord.For(context.Caller(), AuditActions.Update, AuditOutcome.Success, time.GetUtcNow());

    private static void EnsureOperator(HttpContext context)
    {
        if (context.Current().Kind != PartnerKind.Operator)
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the gateway operator may see or re-drive notifications");
        }
    }
}
