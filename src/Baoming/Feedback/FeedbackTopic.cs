using Baoming.Delivery;

namespace Baoming.Feedback;

/// <summary>"feedback:&lt;session&gt;": the one feedback request to each member who attended the session.</summary>
public sealed class FeedbackTopic
{
    public const string TopicKind = "feedback";

    public static TopicKey Key(long sessionId) => TopicKey.Of(TopicKind, sessionId);
}
