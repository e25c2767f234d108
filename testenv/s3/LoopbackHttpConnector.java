package scoreline.testenv.s3mock;

import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Test-environment helper loaded next to the S3Mock jar (see start.sh).
 *
 * <p>S3Mock always adds a second, plain-HTTP Tomcat connector (property {@code http.port}) and
 * gives it no bind address, so it listens on every interface. start.sh serves S3 on the main
 * connector instead ({@code server.port} + {@code server.address}, TLS off) and puts this extra
 * connector on a random port; this initializer binds that connector to the address in the system
 * property {@code scoreline.s3mock.extra-connector-address} too, so nothing listens beyond it.
 */
public final class LoopbackHttpConnector
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final String PROPERTY = "scoreline.s3mock.extra-connector-address";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String address = System.getProperty(PROPERTY);
    if (address == null || address.isBlank()) {
      return;
    }
    context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Connector connector) {
          connector.setProperty("address", address);
        }
        return bean;
      }
    });
  }
}
