package dev.talkback.notification.delivery;

/** How a delivery reaches its recipient; each channel has its own dispatcher loop, so a slow one cannot stall another. */
public enum Channel {
    MAIL,
    WEBHOOK
}
