package dev.talkback.support.kafka;

import java.util.Map;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * With observation on ({@code spring.kafka.template.observation-enabled}), a {@link KafkaTemplate} asks Kafka for
 * the cluster id before its first send (to name the span), holding a lock for up to the admin's operation timeout,
 * and asks again on every send as long as it got no answer: while Kafka is down, every send would wait behind that
 * lock instead of failing within the service's publish timeout. The template gets an admin that answers at once.
 * A service declares it as a (static) bean.
 */
public class KafkaTemplateTracing implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof KafkaTemplate<?, ?> template) {
            template.setKafkaAdmin(
                    new NamedClusterAdmin(template.getProducerFactory().getConfigurationProperties()));
        }
        return bean;
    }

    /** Never called for topics; only its bootstrap servers and its fixed cluster name are read. */
    private static final class NamedClusterAdmin extends KafkaAdmin {

        NamedClusterAdmin(Map<String, Object> config) {
            super(config);
        }

        @Override
        public String clusterId() {
            return "talkback";
        }
    }
}
